using Barman.Wal.Platform;

namespace Barman.Wal.Storage;

/// <summary>Opens a source WAL file for the checks that read it before archiving (header gate, growth screen).</summary>
public static class WalSourceFile
{
    /// <summary>The fault-injection step reached each time a source is opened for a check.</summary>
    public const string ReadStep = "read-source";

    /// <summary>Opens <paramref name="path"/> for reading, shared with a writer that may still have it open.</summary>
    public static FileStream OpenRead(string path)
    {
        FaultInjection.At(ReadStep);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096);
    }

    /// <summary>
    /// Up to <paramref name="length"/> first bytes; null when the file vanished. Any other failure is a
    /// <see cref="WalSourceReadException"/>.
    /// </summary>
    public static byte[]? ReadStart(string path, int length)
    {
        try
        {
            using var file = OpenRead(path);
            var buffer = new byte[length];
            var read = file.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
            return buffer[..read];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalSourceReadException(path, e);
        }
    }
}
