using Barman.Wal.Locking;

namespace Barman.Wal.Tests.Locking;

public sealed class LockFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("locks-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TryAcquire_writes_pid_and_newline()
    {
        var path = ServerLocks.ArchiveWal(_root, "pg1");
        using var held = LockFile.TryAcquire(path);
        held.Should().NotBeNull();
        File.ReadAllText(path).Should().Be($"{Environment.ProcessId}\n");
        Path.GetFileName(path).Should().Be(".pg1-archive-wal.lock");
    }

    [Fact]
    public void TryAcquire_while_held_is_busy_and_free_after_release()
    {
        var path = ServerLocks.ReceiveWal(_root, "pg1");
        var first = LockFile.TryAcquire(path);
        LockFile.TryAcquire(path).Should().BeNull();
        LockFile.ProbeOwner(path).Should().Be(Environment.ProcessId);
        first!.Dispose();
        LockFile.ProbeOwner(path).Should().BeNull();
        File.Exists(path).Should().BeTrue("Barman never deletes lock files");
    }

    [Fact]
    public void Lock_is_a_bsd_flock_seen_by_the_flock_tool()
    {
        var path = ServerLocks.XlogDb(_root, "pg1");
        using var held = LockFile.TryAcquire(path);
        var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", ["-n", path, "true"]) { RedirectStandardError = true })!;
        probe.WaitForExit();
        probe.ExitCode.Should().Be(1, "flock(1) uses flock(2), the same lock Barman takes");
    }

    [Fact]
    public void Stale_file_of_a_dead_owner_is_not_busy()
    {
        var path = ServerLocks.ArchiveWal(_root, "pg1");
        File.WriteAllText(path, "999999\n");
        using var acquired = LockFile.TryAcquire(path);
        acquired.Should().NotBeNull();
    }

    [Fact]
    public void TryAcquire_in_missing_directory_names_the_path()
    {
        var path = Path.Combine(_root, "missing", ".pg1-archive-wal.lock");
        var acquire = () => LockFile.TryAcquire(path);
        acquire.Should().Throw<LockException>().WithMessage($"{path}: *");
    }
}
