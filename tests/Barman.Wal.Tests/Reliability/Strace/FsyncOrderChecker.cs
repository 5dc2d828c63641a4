namespace Barman.Wal.Tests.Reliability.Strace;

/// <summary>How a removed source's archived copy came about in the traced run.</summary>
public enum RemovalKind
{
    /// <summary>Stored in this run: staged, named by rename or link, directory fsynced.</summary>
    Stored,

    /// <summary>Already stored (a matching duplicate): the stored file and its directory fsynced.</summary>
    MatchingDuplicate,

    /// <summary>Cloud storage: nothing local to check but the catalog.</summary>
    CatalogOnly,
}

/// <summary>One source file the traced run unlinked, and how its archived copy was made durable.</summary>
public sealed record RemovedSource(string Name, RemovalKind Kind);

/// <summary>The archive the traced run worked on.</summary>
/// <param name="SourceDirectories">incoming and/or streaming: an unlink there is a source removal.</param>
/// <param name="WalsDirectory">The local archive root; null for cloud storage (catalog checks only).</param>
/// <param name="CatalogPath">xlog.db.</param>
/// <param name="AlreadyCatalogued">Names whose catalog line existed before the run (none is written again).</param>
public sealed record ArchiveLayout(
    IReadOnlyList<string> SourceDirectories,
    string? WalsDirectory,
    string CatalogPath,
    IReadOnlySet<string> AlreadyCatalogued);

/// <summary>
/// Checks a trace of one archive-wal run against the durability order, for every source it unlinked.
/// Always: the hash directory's entry in the archive root fsynced in this run. Stored in this run: the staged file fsynced (after its last write) before the rename/link that gave
/// it its WAL name; the final directory fsynced after that; the catalog line written after that and
/// the catalog fsynced; then the unlink. Matching duplicate: the stored file and its directory fsynced,
/// the line (if written) after both, the catalog fsynced, then the unlink. Cloud: the catalog part.
/// </summary>
public sealed class FsyncOrderChecker(IReadOnlyList<StraceCall> calls, ArchiveLayout layout)
{
    private readonly List<string> _violations = [];

    /// <summary>The problems found; empty when every removal kept the order.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Checks every source removal in the trace and returns them in order.</summary>
    public IReadOnlyList<RemovedSource> Check()
    {
        var removed = new List<RemovedSource>();
        foreach (var unlink in calls.Where(c => c.IsUnlink && c.Succeeded && IsSource(c.Paths[0])))
        {
            var name = Path.GetFileName(unlink.Paths[0]);
            if (layout.WalsDirectory is null)
            {
                CheckCatalog(name, unlink, durableAfter: null);
                removed.Add(new RemovedSource(name, RemovalKind.CatalogOnly));
            }
            else
            {
                removed.Add(new RemovedSource(name, CheckLocal(name, unlink)));
            }
        }

        return removed;
    }

    /// <summary>The path a WAL name is stored at: <c>&lt;wals&gt;/&lt;first 16 hex digits&gt;/name</c>, history files at the root.</summary>
    public static string StoredPath(string walsDirectory, string name) =>
        name.Length >= 24 && name[..24].All(Uri.IsHexDigit)
            ? Path.Combine(walsDirectory, name[..16], name)
            : Path.Combine(walsDirectory, name);

    private bool IsSource(string path) =>
        layout.SourceDirectories.Contains(Path.GetDirectoryName(path), StringComparer.Ordinal);

    private RemovalKind CheckLocal(string name, StraceCall unlink)
    {
        var final = StoredPath(layout.WalsDirectory!, name);
        var directory = Path.GetDirectoryName(final)!;
        var naming = Last(c => (c.IsRename || c.IsLink) && c.Succeeded && c.Paths[1] == final && c.Precedes(unlink));
        if (naming is not null)
        {
            var staged = naming.Paths[0];
            // the last moment the staged bytes changed: its last write, or the link that made it
            var after = Last(c => c.IsWrite && c.FdPath == staged && c.Precedes(naming))
                ?? Last(c => (c.IsLink || c.IsRename) && c.Succeeded && c.Paths[1] == staged && c.Precedes(naming));
            var stagedSync = Last(c => c.IsSync && c.Succeeded && c.FdPath == staged && c.Precedes(naming) && (after is null || after.Precedes(c)));
            if (stagedSync is null)
                Violation(name, $"the staged {staged} was not fsynced (after its last write) before {naming}");
            var directorySync = First(c => c.IsSync && c.Succeeded && c.FdPath == directory && naming.Precedes(c) && c.Precedes(unlink));
            if (directorySync is null)
                Violation(name, $"{directory} was not fsynced between {naming} and {unlink}");
            CheckHashDirectoryEntry(name, directory, unlink);
            CheckCatalog(name, unlink, durableAfter: directorySync ?? naming);
            return RemovalKind.Stored;
        }

        var fileSync = Last(c => c.IsSync && c.Succeeded && c.FdPath == final && c.Precedes(unlink));
        var dirSync = Last(c => c.IsSync && c.Succeeded && c.FdPath == directory && c.Precedes(unlink));
        if (fileSync is null)
            Violation(name, $"matching duplicate: the stored {final} was not fsynced before {unlink}");
        if (dirSync is null)
            Violation(name, $"matching duplicate: {directory} was not fsynced before {unlink}");
        CheckHashDirectoryEntry(name, directory, unlink);
        var latest = new[] { fileSync, dirSync }.OfType<StraceCall>().MaxBy(c => c.End);
        CheckCatalog(name, unlink, durableAfter: latest);
        return RemovalKind.MatchingDuplicate;
    }

    /// <summary>
    /// A hash directory's own entry must be durable too: its parent (the archive root) fsynced in this
    /// run, since an earlier run may have crashed between the mkdir and that fsync.
    /// </summary>
    private void CheckHashDirectoryEntry(string name, string directory, StraceCall unlink)
    {
        if (directory == layout.WalsDirectory)
            return;
        if (First(c => c.IsSync && c.Succeeded && c.FdPath == layout.WalsDirectory && c.Precedes(unlink)) is null)
            Violation(name, $"the archive root {layout.WalsDirectory} (holding {Path.GetFileName(directory)}) was not fsynced before {unlink}");
    }

    /// <summary>
    /// The catalog line written (after <paramref name="durableAfter"/>, the moment the stored file became
    /// durable) unless it was there before the run, never twice; the catalog fsynced; both before the unlink.
    /// </summary>
    private void CheckCatalog(string name, StraceCall unlink, StraceCall? durableAfter)
    {
        var lines = calls.Where(c => c.IsWrite && c.Succeeded && c.FdPath == layout.CatalogPath
            && c.Data is { } data && data.StartsWith(name + "\t", StringComparison.Ordinal)).ToList();
        var line = lines.LastOrDefault(c => c.Precedes(unlink));
        if (layout.AlreadyCatalogued.Contains(name))
        {
            if (lines.Count > 0)
                Violation(name, $"its catalog line existed before the run but was written again: {lines[0]}");
        }
        else if (line is null)
        {
            Violation(name, $"no catalog line was written before {unlink}");
        }
        else if (durableAfter is not null && !durableAfter.Precedes(line))
        {
            Violation(name, $"the catalog line {line} was written before the stored file was durable ({durableAfter})");
        }

        var catalogSync = Last(c => c.IsSync && c.Succeeded && c.FdPath == layout.CatalogPath && c.Precedes(unlink)
            && (line is null || line.Precedes(c)));
        if (catalogSync is null)
            Violation(name, $"the catalog was not fsynced {(line is null ? "" : "after " + line + " ")}before {unlink}");
    }

    private StraceCall? Last(Func<StraceCall, bool> predicate) => calls.LastOrDefault(predicate);

    private StraceCall? First(Func<StraceCall, bool> predicate) => calls.FirstOrDefault(predicate);

    private void Violation(string name, string problem) => _violations.Add($"{name}: {problem}");
}
