using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Barman.Wal.Xlog;

/// <summary>
/// A parsed WAL file name (spec: wal-names): timeline, log and segment, the kind, the hash directory.
/// Only the base name of a path is looked at.
/// </summary>
/// <remarks>Barman's pattern uses Python's <c>\d</c>-based class and <c>$</c>, which also accept
/// non-ASCII digits and a trailing newline; barman-wal deliberately accepts ASCII hex only and no
/// newline (names PostgreSQL never writes): see docs/compatibility.md.</remarks>
public sealed record WalName(string Name, WalFileKind Kind, uint Timeline, uint Log, uint Segment)
{
    /// <summary>True for any of the four kinds (Barman's <c>is_any_xlog_file</c>).</summary>
    public static bool IsAnyXlogFile(string path) => TryParse(path, out _);

    /// <summary>Plain 24-hex segment only (Barman's <c>is_wal_file</c>).</summary>
    public static bool IsWalFile(string path) => TryParse(path, out var n) && n.Kind == WalFileKind.Segment;

    /// <summary>Barman's <c>is_partial_file</c>.</summary>
    public static bool IsPartialFile(string path) => TryParse(path, out var n) && n.Kind == WalFileKind.Partial;

    /// <summary>Barman's <c>is_backup_file</c>.</summary>
    public static bool IsBackupFile(string path) => TryParse(path, out var n) && n.Kind == WalFileKind.BackupLabel;

    /// <summary>Barman's <c>is_history_file</c>.</summary>
    public static bool IsHistoryFile(string path) => TryParse(path, out var n) && n.Kind == WalFileKind.History;

    /// <summary>
    /// The hash directory: <c>%08X%08X</c> of (timeline, log), upper case; empty for history files.
    /// </summary>
    public string HashDirectory => Kind == WalFileKind.History
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{Timeline:X8}{Log:X8}");

    /// <summary>The path relative to <c>wals_directory</c> (hash directory and name).</summary>
    public string RelativePath => Kind == WalFileKind.History ? Name : $"{HashDirectory}/{Name}";

    /// <summary>Parses a name or path; throws <see cref="BadXlogSegmentNameException"/> if it is not a WAL name.</summary>
    public static WalName Parse(string path) =>
        TryParse(path, out var name) ? name : throw new BadXlogSegmentNameException(Path.GetFileName(path));

    /// <summary>Parses the base name of <paramref name="path"/>; false when it is not a WAL name.</summary>
    public static bool TryParse(string path, [NotNullWhen(true)] out WalName? name)
    {
        name = null;
        var baseName = Path.GetFileName(path);
        var span = baseName.AsSpan();
        if (span.Length == 16 && span.EndsWith(".history", StringComparison.Ordinal)
            && TryHex(span[..8], out var historyTimeline))
        {
            name = new WalName(baseName, WalFileKind.History, historyTimeline, 0, 0);
            return true;
        }

        if (span.Length < 24
            || !TryHex(span[..8], out var timeline)
            || !TryHex(span[8..16], out var log)
            || !TryHex(span[16..24], out var segment))
            return false;

        var rest = span[24..];
        WalFileKind kind;
        if (rest.IsEmpty)
            kind = WalFileKind.Segment;
        else if (rest.SequenceEqual(".partial"))
            kind = WalFileKind.Partial;
        else if (rest.Length == 16 && rest[0] == '.' && TryHex(rest[1..9], out _) && rest[9..].SequenceEqual(".backup"))
            kind = WalFileKind.BackupLabel;
        else
            return false;

        name = new WalName(baseName, kind, timeline, log, segment);
        return true;
    }

    /// <summary>The canonical upper-case segment name for (timeline, log, segment).</summary>
    public static string Encode(uint timeline, uint log, uint segment) =>
        string.Create(CultureInfo.InvariantCulture, $"{timeline:X8}{log:X8}{segment:X8}");

    /// <summary>The history file name of a timeline.</summary>
    public static string HistoryName(uint timeline) =>
        string.Create(CultureInfo.InvariantCulture, $"{timeline:X8}.history");

    private static bool TryHex(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }

        return uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
