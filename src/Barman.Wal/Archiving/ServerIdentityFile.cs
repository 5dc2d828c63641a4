using System.Globalization;
using System.Text;
using System.Text.Json;
using Barman.Wal.Platform;

namespace Barman.Wal.Archiving;

/// <summary>
/// What barman-wal knows of a server's PostgreSQL system: the system identifier from Barman's
/// <c>&lt;backup_directory&gt;/identity.json</c> (key <c>systemid</c>, written by the first backup), else from
/// barman-wal's own <c>&lt;backup_directory&gt;/barman-wal-identity.json</c>, learned from the first valid
/// segment archived; the WAL segment size always from the latter.
/// </summary>
/// <remarks>Barman never reads <c>barman-wal-identity.json</c> (it only looks at <c>identity.json</c> and
/// the <c>base</c>, <c>wals</c>, <c>incoming</c>, <c>streaming</c>, <c>errors</c> directories), and barman-wal
/// never writes <c>identity.json</c>.</remarks>
internal sealed class ServerIdentityFile(string backupDirectory)
{
    public const string FileName = "barman-wal-identity.json";

    public string BarmanPath => Path.Combine(backupDirectory, "identity.json");

    public string LearnedPath => Path.Combine(backupDirectory, FileName);

    public ulong? SystemIdentifier { get; private set; }

    public uint? SegmentSize { get; private set; }

    /// <summary>Where <see cref="SystemIdentifier"/> came from (for messages).</summary>
    public string? Source { get; private set; }

    /// <summary>Reads both files; unreadable or malformed ones count as absent, with a warning.</summary>
    public void Load(Action<string> warn)
    {
        if (ReadJson(LearnedPath, warn) is { } learned)
        {
            SystemIdentifier = ParseId(learned, "systemid");
            Source = SystemIdentifier is null ? null : LearnedPath;
            if (learned.TryGetProperty("wal_segment_size", out var size) && size.TryGetUInt32(out var s))
                SegmentSize = s;
        }

        if (ReadJson(BarmanPath, warn) is { } barman && ParseId(barman, "systemid") is { } id)
        {
            SystemIdentifier = id;
            Source = BarmanPath;
        }
    }

    /// <summary>Records what a valid segment showed and writes the barman-wal file durably (temp + rename).</summary>
    public void Learn(ulong systemIdentifier, uint segmentSize, string fromSegment)
    {
        SystemIdentifier ??= systemIdentifier;
        Source ??= LearnedPath;
        SegmentSize ??= segmentSize;
        var text = new StringBuilder()
            .Append("{\n")
            .Append(CultureInfo.InvariantCulture, $"    \"learned_from\": \"{fromSegment}\",\n")
            .Append(CultureInfo.InvariantCulture, $"    \"systemid\": \"{SystemIdentifier}\",\n")
            .Append(CultureInfo.InvariantCulture, $"    \"wal_segment_size\": {SegmentSize}\n")
            .Append("}\n")
            .ToString();
        Directory.CreateDirectory(backupDirectory);
        var temporary = LearnedPath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, LearnedPath, overwrite: true);
        Durability.SyncDirectory(backupDirectory);
    }

    private static JsonElement? ReadJson(string path, Action<string> warn)
    {
        try
        {
            if (!File.Exists(path))
                return null;
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            warn($"Ignoring {path}: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }

    private static ulong? ParseId(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value))
            return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != 0 ? id : null;
    }
}
