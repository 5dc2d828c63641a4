using System.IO.Compression;
using Barman.Wal.Catalog;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// What a server's directories hold after a run, checked against the source WAL given to it: the
/// "nothing lost, nothing corrupt, nothing twice" invariants of docs/reliability.md.
/// </summary>
internal sealed class ArchiveState(BarmanHome home, IReadOnlyDictionary<string, byte[]> sources)
{
    /// <summary>
    /// The invariants that hold at any moment, also right after a crash: each source is still in incoming
    /// with its bytes, or archived complete (decompressed, byte-identical), or both; each catalog line
    /// names a stored file, once; nothing in errors. Returns the problems found (empty = fine).
    /// </summary>
    public List<string> CheckSafe()
    {
        var problems = new List<string>();
        foreach (var (name, bytes) in sources)
        {
            var incoming = Path.Combine(home.IncomingDirectory(), name);
            var inIncoming = File.Exists(incoming);
            if (inIncoming && !File.ReadAllBytes(incoming).AsSpan().SequenceEqual(bytes))
                problems.Add($"{name}: the source in incoming changed");
            var stored = StoredPath(name);
            var isStored = File.Exists(stored);
            if (isStored && Decode(stored) is var plain && !plain.AsSpan().SequenceEqual(bytes))
                problems.Add($"{name}: the archived copy differs from the source ({plain.Length} bytes)");
            if (!inIncoming && !isStored)
                problems.Add($"{name}: LOST (neither in incoming nor archived)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in CatalogNames())
        {
            if (!seen.Add(line))
                problems.Add($"{line}: catalogued twice");
            if (!File.Exists(StoredPath(line)))
                problems.Add($"{line}: catalogued but not archived");
        }

        foreach (var entry in BarmanHome.ListFiles(home.ErrorsDirectory()))
            problems.Add($"errors/{entry}: a false quarantine");
        return problems;
    }

    /// <summary>After a normal run: all archived, incoming empty, one line each, no leftovers in the archive.</summary>
    public List<string> CheckComplete()
    {
        var problems = CheckSafe();
        foreach (var entry in BarmanHome.ListFiles(home.IncomingDirectory()))
            problems.Add($"incoming/{entry}: not archived by the normal run");
        var catalogued = CatalogNames();
        foreach (var name in sources.Keys)
        {
            if (!catalogued.Contains(name))
                problems.Add($"{name}: archived but no catalog line");
        }

        var expected = sources.Keys.Select(n => Path.GetRelativePath(home.WalsDirectory(), StoredPath(n))).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in home.ListArchive())
        {
            if (!expected.Contains(entry))
                problems.Add($"wals/{entry}: a leftover file in the archive");
        }

        return problems;
    }

    public List<string> CatalogNames()
    {
        var path = home.XlogDbPath();
        return File.Exists(path) ? XlogDb.ReadLines(path).Select(w => w.Name).ToList() : [];
    }

    public string StoredPath(string name) =>
        name.EndsWith(".history", StringComparison.Ordinal)
            ? Path.Combine(home.WalsDirectory(), name)
            : Path.Combine(home.WalsDirectory(), name[..16], name);

    /// <summary>The plain bytes of a stored file (gunzipped when it starts with the gzip magic).</summary>
    public static byte[] Decode(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b)
            return bytes;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }
}
