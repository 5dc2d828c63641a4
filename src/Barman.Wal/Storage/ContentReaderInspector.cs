using Barman.Wal.Catalog;

namespace Barman.Wal.Storage;

/// <summary>Describes stored files for catalog rebuilds by reading their first bytes.</summary>
public sealed class ContentReaderInspector(IWalContentReader reader) : IStoredWalInspector
{
    /// <inheritdoc />
    public string? DetectCompression(string path) => reader.DetectCompression(ReadHeader(path));

    /// <inheritdoc />
    public bool IsEncrypted(string path) => reader.IsEncrypted(ReadHeader(path));

    private byte[] ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[reader.HeaderLength];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..read];
    }
}
