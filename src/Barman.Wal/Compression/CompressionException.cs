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

    internal static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim();
}
