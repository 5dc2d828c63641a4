namespace Barman.Wal.Storage;

/// <summary>
/// One stream stage of the store pipeline (compress, encrypt, decompress): reads all of its input
/// and writes the transformed bytes to its output.
/// </summary>
public interface IWalTransform
{
    /// <summary>The name recorded for this stage (<c>gzip</c>, <c>gpg</c>...).</summary>
    string Name { get; }

    /// <summary>Transforms the whole input; completes only when every output byte is written.</summary>
    Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default);
}
