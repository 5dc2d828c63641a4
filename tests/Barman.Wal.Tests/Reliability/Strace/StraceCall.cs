namespace Barman.Wal.Tests.Reliability.Strace;

/// <summary>
/// One completed system call from an <c>strace -f -y</c> log, with the file-system meaning pulled out:
/// the paths it names (resolved against its directory fd) and, for calls on an fd, the fd's path.
/// </summary>
/// <param name="Start">Line index where the call began (its <c>&lt;unfinished ...&gt;</c> line if split).</param>
/// <param name="End">Line index where it returned. "A before B" means <c>A.End &lt; B.Start</c>.</param>
/// <param name="Pid">The thread that made it.</param>
/// <param name="Name">The syscall name (<c>renameat2</c>, <c>fsync</c>, ...).</param>
/// <param name="Result">The return value; negative on failure.</param>
/// <param name="Paths">Path arguments in order (old then new for rename and link), absolute where a dir fd said so.</param>
/// <param name="FdPath">For fsync, write, close...: the path strace decoded for the fd argument.</param>
/// <param name="Data">For write calls: the buffer as printed (unescaped, cut at strace's <c>-s</c>).</param>
/// <param name="ResultPath">For openat: the path of the returned fd.</param>
public sealed record StraceCall(
    int Start,
    int End,
    int Pid,
    string Name,
    long Result,
    IReadOnlyList<string> Paths,
    string? FdPath,
    string? Data,
    string? ResultPath)
{
    /// <summary>True when the call returned without error.</summary>
    public bool Succeeded => Result >= 0;

    /// <summary>fsync or fdatasync.</summary>
    public bool IsSync => Name is "fsync" or "fdatasync";

    /// <summary>A call writing to its fd.</summary>
    public bool IsWrite => Name is "write" or "pwrite64" or "writev" or "pwritev" or "pwritev2";

    /// <summary>rename, renameat, renameat2: Paths[0] becomes Paths[1].</summary>
    public bool IsRename => Name is "rename" or "renameat" or "renameat2";

    /// <summary>link, linkat: Paths[1] is a new name for Paths[0].</summary>
    public bool IsLink => Name is "link" or "linkat";

    /// <summary>unlink, unlinkat: Paths[0] is removed.</summary>
    public bool IsUnlink => Name is "unlink" or "unlinkat";

    /// <summary>True when this call finished before <paramref name="other"/> began.</summary>
    public bool Precedes(StraceCall other) => End < other.Start;

    public override string ToString() =>
        $"#{Start}{(End != Start ? "-" + End : "")} [{Pid}] {Name}({FdPath ?? string.Join(", ", Paths)}) = {Result}";
}
