using Barman.Wal.Errors;

namespace Barman.Wal.Compression;

/// <summary>
/// Compressing or decompressing a WAL file failed: corrupt or truncated input, a failing external
/// command (pigz, custom filters), or a missing native library.
/// </summary>
/// <remarks>The message is one line naming the codec or command and the cause.</remarks>
public sealed class CompressionException : BarmanWalException
{
    public CompressionException(string message, Exception? innerException = null)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>
    /// True when the input bytes themselves are proven bad (an in-process decoder rejected them, or they
    /// end early): only then may a source be judged corrupt. A failing command, a missing library or an
    /// I/O error leaves this false.
    /// </summary>
    public bool IsCorruptInput { get; private init; }

    /// <summary>A decoder's verdict on bad or truncated input (<see cref="IsCorruptInput"/> set).</summary>
    public static CompressionException CorruptInput(string message) => new(message) { IsCorruptInput = true };

    internal static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim();
}
