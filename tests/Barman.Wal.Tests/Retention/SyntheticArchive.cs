using Barman.Wal.Catalog;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Retention;

/// <summary>
/// Writes an archive the way Barman leaves it: each file in its hash directory (history files at the top), its
/// mtime set, and one 5-column xlog.db line per file in archiving order.
/// </summary>
internal sealed class SyntheticArchive(BarmanHome home, string server = "pg1")
{
    private readonly List<string> _lines = [];

    public string Wals => home.WalsDirectory(server);

    /// <summary>Adds a stored file and (unless <paramref name="catalogued"/> is false) its catalog line.</summary>
    public SyntheticArchive Add(string name, int size = 16, double? time = null, bool catalogued = true)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Enumerable.Repeat((byte)'w', size).ToArray());
        var when = time ?? 1796678522.5 + _lines.Count;
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(when));
        if (catalogued)
            _lines.Add(XlogDbLine.Format(new WalFileInfo { Name = name, Size = size, Time = when }).TrimEnd('\n'));
        return this;
    }

    /// <summary>Writes the catalog of every catalogued file added so far.</summary>
    public IReadOnlyList<string> WriteCatalog()
    {
        Directory.CreateDirectory(Wals);
        File.WriteAllText(home.XlogDbPath(server), string.Concat(_lines.Select(l => l + "\n")));
        return [.. _lines];
    }

    /// <summary>The catalog lines written for <paramref name="names"/>, in archiving order.</summary>
    public IReadOnlyList<string> LinesOf(IEnumerable<string> names)
    {
        var wanted = names.ToHashSet(StringComparer.Ordinal);
        return [.. _lines.Where(l => wanted.Contains(l.Split('\t')[0]))];
    }

    public string PathOf(string name) =>
        name.EndsWith(".history", StringComparison.Ordinal) ? Path.Combine(Wals, name) : Path.Combine(Wals, name[..16], name);

    /// <summary>Every stored file's name (no directories, no catalog), sorted.</summary>
    public IReadOnlyList<string> StoredNames() =>
        [.. home.ListArchive(server).Select(Path.GetFileName).Select(n => n!).Order(StringComparer.Ordinal)];
}
