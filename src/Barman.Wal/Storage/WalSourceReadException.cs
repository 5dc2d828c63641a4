using Barman.Wal.Compression;
using Barman.Wal.Errors;

namespace Barman.Wal.Storage;

/// <summary>
/// A source WAL file could not be read (EIO, EACCES, a failing decompression command...): that proves
/// nothing about its content, so it is left where it is and the run fails (exit 1) naming the file and
/// the cause. Only a proven header problem sends a file to the errors directory.
/// </summary>
public sealed class WalSourceReadException(string path, Exception cause)
    : BarmanWalException($"{path} could not be read: {CauseText(cause)} (left in place, nothing archived)", cause)
{
    /// <summary>The source that could not be read.</summary>
    public string SourcePath { get; } = path;

    /// <summary>True when <paramref name="e"/> or an exception inside it is a decoder's proof of bad input.</summary>
    public static bool IsCorruptInput(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is CompressionException { IsCorruptInput: true })
                return true;
            if (current is AggregateException aggregate)
                return aggregate.InnerExceptions.Any(IsCorruptInput);
        }

        return false;
    }

    private static string CauseText(Exception cause) => cause is UnauthorizedAccessException
        ? "Permission denied"
        : ExceptionText.Of(cause).TrimEnd('.');
}
