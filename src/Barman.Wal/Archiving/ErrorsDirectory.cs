using System.Globalization;
using Barman.Wal.Platform;

namespace Barman.Wal.Archiving;

/// <summary>
/// The quarantine: <c>&lt;errors_directory&gt;/&lt;name&gt;.&lt;YYYYMMDDTHHMMSSZ&gt;.&lt;reason&gt;</c> (spec: layout §5).
/// Created when missing; never overwrites an earlier file of the same name and second.
/// </summary>
public sealed class ErrorsDirectory(string path, TimeProvider clock)
{
    /// <summary>The directory.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// Moves <paramref name="source"/> (file or directory) into quarantine under <paramref name="name"/>
    /// (default: its own base name); returns the new path, or null when the source is gone.
    /// </summary>
    public string? Move(string source, string reason, string? name = null)
    {
        if (FileStatus.TryGet(source, followLinks: false) is null)
            return null;
        Directory.CreateDirectory(Path);
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var baseName = name ?? System.IO.Path.GetFileName(source);
        var target = System.IO.Path.Combine(Path, $"{baseName}.{stamp}.{reason}");
        for (var n = 1; Exists(target); n++)
            target = System.IO.Path.Combine(Path, $"{baseName}.{stamp}.{n}.{reason}");

        if (Directory.Exists(source) && FileStatus.TryGet(source, followLinks: false) is { IsDirectory: true })
            Directory.Move(source, target);
        else
            PosixFile.Rename(source, target);
        FaultInjection.At("after-errors-move");
        Durability.SyncDirectory(Path);
        Durability.SyncDirectory(System.IO.Path.GetDirectoryName(source)!);
        return target;
    }

    private static bool Exists(string path) => FileStatus.TryGet(path, followLinks: false) is not null;
}
