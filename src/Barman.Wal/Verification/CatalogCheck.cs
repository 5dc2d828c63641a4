using System.Globalization;
using Barman.Wal.Catalog;
using Barman.Wal.Storage;

namespace Barman.Wal.Verification;

/// <summary>
/// xlog.db against storage: lines without a stored file, stored files without a line, duplicate lines,
/// size mismatches, and compression or encryption mismatches where the stored content was read. Pure.
/// </summary>
public static class CatalogCheck
{
    /// <summary>Compares <paramref name="lines"/> with <paramref name="stored"/> (both already limited to the range).</summary>
    /// <param name="lines">The catalog lines in file order.</param>
    /// <param name="stored">Stored WAL files by WAL name.</param>
    /// <param name="content">What reading a stored file showed (compression found, encrypted), by name; may be empty.</param>
    public static IReadOnlyList<WalProblem> Check(
        IReadOnlyList<WalFileInfo> lines,
        IReadOnlyDictionary<string, StoredObject> stored,
        IReadOnlyDictionary<string, StoredEncoding> content)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(content);
        var problems = new List<WalProblem>();
        var byName = new Dictionary<string, List<WalFileInfo>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!byName.TryGetValue(line.Name, out var list))
                byName[line.Name] = list = [];
            list.Add(line);
        }

        foreach (var (name, list) in byName.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (list.Count > 1)
                problems.Add(new WalProblem(WalProblemKind.DuplicateLine, name, Text($"xlog.db has {list.Count} lines for this file")));
            var line = list[^1];
            if (!stored.TryGetValue(name, out var file))
            {
                problems.Add(new WalProblem(WalProblemKind.CatalogWithoutFile, name, "xlog.db lists this file but it is not stored"));
                continue;
            }

            if (line.Size != file.Size)
                problems.Add(new WalProblem(WalProblemKind.SizeMismatch, name, Text($"xlog.db says {line.Size} bytes, {file.Size} are stored")));
            var found = content.TryGetValue(name, out var encoding) ? encoding
                : file.CompressionFromExtension is { } extension ? new StoredEncoding(extension, Encrypted: null) : null;
            if (found is null)
                continue;
            if (!string.Equals(line.Compression, found.Compression, StringComparison.Ordinal))
            {
                problems.Add(new WalProblem(WalProblemKind.CompressionMismatch, name,
                    $"xlog.db says compression {line.Compression ?? "None"}, the stored file is {found.Compression ?? "not compressed"}"));
            }
            else if (found.Encrypted is { } encrypted && encrypted != (line.Encryption is not null))
            {
                problems.Add(new WalProblem(WalProblemKind.CompressionMismatch, name,
                    $"xlog.db says encryption {line.Encryption ?? "None"}, the stored file is {(encrypted ? "encrypted" : "not encrypted")}"));
            }
        }

        foreach (var name in stored.Keys.Where(n => !byName.ContainsKey(n)).Order(StringComparer.Ordinal))
            problems.Add(new WalProblem(WalProblemKind.FileWithoutCatalog, name, "the file is stored but xlog.db has no line for it"));
        return problems;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How a stored file is encoded, as found by reading it (or by its cloud extension: encryption unknown).</summary>
public sealed record StoredEncoding(string? Compression, bool? Encrypted);
