using Barman.Wal.Locking;

namespace Barman.Wal.Restore;

/// <summary>
/// The prefetch spool: a private directory (mode 0700, refused when group or others may write it) holding
/// segments fetched ahead, decoded and verified. A segment appears under its WAL name only complete (written
/// as <c>.&lt;name&gt;.&lt;random&gt;.barman-wal-tmp</c>, renamed when verified); while a worker fetches it, the
/// worker holds the flock of <c>.&lt;name&gt;.lock</c>. A file's mtime is the archive copy's at fetch time, so a
/// spool file older than the archive's copy is recognised and ignored.
/// </summary>
public sealed class PrefetchSpool
{
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(10);

    private PrefetchSpool(string directory) => Directory = directory;

    /// <summary>The spool directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// The default spool: <c>$TMPDIR/barman-wal-prefetch-&lt;server&gt;-&lt;user&gt;</c> — writable by whoever runs
    /// restore_command (PostgreSQL's OS user may not write barman_home).
    /// </summary>
    public static string DefaultDirectory(string server) =>
        Path.Combine(Path.GetTempPath(), $"barman-wal-prefetch-{server}-{Environment.UserName}");

    /// <summary>Opens (creating it 0700) the spool at <paramref name="directory"/>; the problem text when unusable.</summary>
    public static PrefetchSpool? TryOpen(string directory, out string? problem)
    {
        problem = null;
        try
        {
            var full = Path.GetFullPath(directory);
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(full);
                return new PrefetchSpool(full);
            }

            System.IO.Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var mode = File.GetUnixFileMode(full);
            if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                problem = $"prefetch spool directory '{full}' is writable by group or others: not used";
                return null;
            }

            return new PrefetchSpool(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot use the prefetch spool directory '{directory}': {e.Message}";
            return null;
        }
    }

    /// <summary>Where a complete, verified segment is kept.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The lock a worker holds while fetching <paramref name="name"/>.</summary>
    public string LockOf(string name) => Path.Combine(Directory, "." + name + ".lock");

    /// <summary>True when a complete spool file exists for <paramref name="name"/>.</summary>
    public bool Has(string name) => File.Exists(PathOf(name));

    /// <summary>True when a worker is fetching <paramref name="name"/> right now.</summary>
    public bool IsPending(string name) => File.Exists(LockOf(name)) && LockFile.ProbeOwner(LockOf(name)) is not null;

    /// <summary>Takes the fetch lock of <paramref name="name"/>, or null when another worker holds it.</summary>
    public LockFile? TryLock(string name) => LockFile.TryAcquire(LockOf(name), writePid: false);

    /// <summary>Waits while a worker fetches <paramref name="name"/> (at most <paramref name="limit"/>).</summary>
    public async Task WaitWhilePendingAsync(string name, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        var delay = 2;
        while (IsPending(name) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 20);
        }
    }

    /// <summary>Removes a spool file and its lock file (after delivery, or when stale or invalid).</summary>
    public void Remove(string name)
    {
        File.Delete(PathOf(name));
        using var held = TryLock(name);
        if (held is not null)
            File.Delete(LockOf(name));
    }

    /// <summary>
    /// Records <paramref name="name"/> as the segment PostgreSQL was just given (<c>.delivered</c>, replaced
    /// atomically): a worker neither fetches nor keeps a segment at or before it on its timeline.
    /// </summary>
    public void MarkDelivered(string name)
    {
        var marker = Path.Combine(Directory, ".delivered");
        var temporary = RestoreOutput.TemporaryName(marker);
        File.WriteAllText(temporary, name);
        File.Move(temporary, marker, overwrite: true);
    }

    /// <summary>True when <paramref name="name"/> is at or before the last delivered segment of its timeline.</summary>
    public bool IsBehind(string name)
    {
        string delivered;
        try
        {
            delivered = File.ReadAllText(Path.Combine(Directory, ".delivered")).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        return delivered.Length == name.Length
            && string.CompareOrdinal(delivered, 0, name, 0, 8) == 0
            && string.CompareOrdinal(name, delivered) <= 0;
    }

    /// <summary>Removes temporary files left by a killed worker (older than ten minutes).</summary>
    public void SweepTemporaries()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, ".*.barman-wal-tmp"))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleTemporary)
                    File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }
}
