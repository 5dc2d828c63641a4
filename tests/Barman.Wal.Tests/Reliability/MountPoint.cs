using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>A tmpfs or read-only bind mount made by a test (tests run as root); unmounted on dispose.</summary>
internal sealed class MountPoint : IDisposable
{
    private MountPoint(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on the (empty) directory.</summary>
    public static async Task<MountPoint> TmpfsAsync(string directory, int megabytes)
    {
        await MountAsync("-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", directory);
        return new MountPoint(directory);
    }

    /// <summary>Makes the directory read-only by bind-mounting it onto itself, then remounting it ro.</summary>
    public static async Task<MountPoint> ReadOnlyAsync(string directory)
    {
        await MountAsync("--bind", directory, directory);
        var point = new MountPoint(directory);
        try
        {
            await MountAsync("-o", "remount,ro,bind", directory);
        }
        catch
        {
            point.Dispose();
            throw;
        }

        return point;
    }

    /// <summary>Changes the size of a tmpfs.</summary>
    public Task ResizeAsync(int megabytes) => MountAsync("-o", $"remount,size={megabytes}m", Path);

    public void Dispose()
    {
        var result = ProcessRunner.RunAsync("umount", [Path], timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"umount {Path} failed: {result.Stderr.Trim()}");
    }

    private static async Task MountAsync(params string[] arguments)
    {
        var mount = Prerequisites.Program("mount", "mount (util-linux)");
        var result = await ProcessRunner.RunAsync(mount, arguments, timeout: TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new PrerequisiteMissingException(
                $"mount {string.Join(' ', arguments)} failed ({result.Stderr.Trim()}): these tests need root with CAP_SYS_ADMIN to mount tmpfs and bind mounts");
        }
    }
}
