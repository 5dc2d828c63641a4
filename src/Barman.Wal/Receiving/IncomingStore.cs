using System.Security.Cryptography;
using Barman.Wal.Archiving;
using Barman.Wal.Platform;

namespace Barman.Wal.Receiving;

/// <summary>
/// Writes received files into a server's <c>incoming</c> directory safely (spec: put-wal §3.3): each
/// member streams once into a hidden temporary file (<c>.&lt;pid&gt;-&lt;name&gt;</c>, a name archive-wal
/// never lists) while both digests are computed; it is fsynced, and only a validated file is moved to
/// its final name without replacing anything, the directory fsynced after.
/// </summary>
public sealed class IncomingStore(string incomingDirectory, ErrorsDirectory errors) : IDisposable
{
    private const int BufferSize = 128 * 1024;
    private readonly List<string> _temporaries = [];

    /// <summary>Creates the incoming directory (and its parents) when missing, durably.</summary>
    public void EnsureDirectory()
    {
        var missing = new Stack<string>();
        for (var d = Path.TrimEndingDirectorySeparator(Path.GetFullPath(incomingDirectory)); !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
            missing.Push(d);
        while (missing.TryPop(out var directory))
        {
            Directory.CreateDirectory(directory);
            Durability.SyncDirectory(Path.GetDirectoryName(directory)!);
        }
    }

    /// <summary>
    /// Removes the temporary files of put-wal processes that died (killed, power cut): hidden
    /// <c>.&lt;pid&gt;-&lt;WAL name&gt;</c> entries whose process no longer exists. Linux only (<c>/proc</c>).
    /// </summary>
    public void RemoveStaleTemporaries()
    {
        if (!Directory.Exists("/proc/self"))
            return;
        foreach (var path in Directory.EnumerateFiles(incomingDirectory, ".*"))
        {
            var name = Path.GetFileName(path);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash < 2
                || !int.TryParse(name.AsSpan(1, dash - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId
                || !Xlog.WalName.IsAnyXlogFile(name[(dash + 1)..])
                || Directory.Exists($"/proc/{pid}"))
                continue;
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>
    /// Streams the current member's data into its temporary file, hashing on the way; sets its times to
    /// the member's and fsyncs it. The file is removed on <see cref="Dispose"/> unless committed.
    /// </summary>
    public async Task<ReceivedFile> ReceiveAsync(TarStreamReader reader, TarMember member, CancellationToken cancellationToken = default)
    {
        var tempPath = Path.Combine(incomingDirectory, $".{Environment.ProcessId}-{member.Name}");
        _temporaries.Add(tempPath);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using (var file = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            int read;
            while ((read = await reader.ReadDataAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                sha256.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                FaultInjection.At("put-wal-mid-stream");
            }

            File.SetLastAccessTimeUtc(file.SafeFileHandle, member.ModifiedTime);
            File.SetLastWriteTimeUtc(file.SafeFileHandle, member.ModifiedTime);
            file.Flush(flushToDisk: true);
        }

        return new ReceivedFile(member.Name, tempPath, Hex(md5), Hex(sha256));
    }

    /// <summary>
    /// Moves a validated file to <c>&lt;incoming&gt;/&lt;name&gt;</c>, or settles it as a duplicate of the
    /// file already there (compared on raw bytes with the stream's algorithm).
    /// </summary>
    public StoreResult Commit(ReceivedFile file, bool md5)
    {
        var target = Path.Combine(incomingDirectory, file.Name);
        while (true)
        {
            if (FileStatus.TryGet(target, followLinks: false) is not null)
            {
                var existing = DigestOf(target, md5);
                if (existing is null && FileStatus.TryGet(target, followLinks: false) is not null)
                    throw new IOException($"{target}: exists but cannot be read (a broken symbolic link?)");
                if (existing is null)
                    continue; // removed (archived) meanwhile: store ours
                if (existing == file.Digest(md5))
                {
                    // the copy there may be one a killed put-wal renamed but never made durable
                    Durability.SyncFile(target);
                    Durability.SyncDirectory(incomingDirectory);
                    File.Delete(file.TempPath);
                    _temporaries.Remove(file.TempPath);
                    return new StoreResult(StoreResultKind.IdenticalDuplicate, existing, null);
                }

                var kept = errors.Move(file.TempPath, "duplicate", file.Name);
                _temporaries.Remove(file.TempPath);
                return new StoreResult(StoreResultKind.MismatchedDuplicate, existing, kept);
            }

            try
            {
                PosixFile.MoveNoReplace(file.TempPath, target);
            }
            catch (IOException) when (FileStatus.TryGet(target, followLinks: false) is not null)
            {
                continue; // another sender stored the same name first: compare with it
            }

            _temporaries.Remove(file.TempPath);
            FaultInjection.At("put-wal-after-rename");
            Durability.SyncDirectory(incomingDirectory);
            return new StoreResult(StoreResultKind.Stored, null, target);
        }
    }

    /// <summary>Removes every temporary file not committed: a refused stream leaves nothing behind.</summary>
    public void Dispose()
    {
        foreach (var path in _temporaries)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        _temporaries.Clear();
    }

    private static string? DigestOf(string path, bool md5)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        using (stream)
        using (var hash = IncrementalHash.CreateHash(md5 ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA256))
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = stream.Read(buffer)) > 0)
                hash.AppendData(buffer, 0, read);
            return Hex(hash);
        }
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
