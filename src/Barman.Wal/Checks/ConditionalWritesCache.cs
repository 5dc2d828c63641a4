using System.Globalization;
using System.Text.Json;
using Barman.Wal.Platform;

namespace Barman.Wal.Checks;

/// <summary>
/// barman-wal's own <c>&lt;backup_directory&gt;/barman-wal-conditional-writes.json</c>: whether the S3 endpoint
/// and bucket a server archives to enforce create-only writes, as last probed. Reused while endpoint and bucket
/// stay the same, so periodic <c>check</c> runs do not write probe objects each time; any change (or a missing
/// or unreadable file) makes the next <c>check</c> probe again. Barman never reads this file.
/// </summary>
internal sealed class ConditionalWritesCache(string backupDirectory)
{
    public const string FileName = "barman-wal-conditional-writes.json";

    public string Path => System.IO.Path.Combine(backupDirectory, FileName);

    /// <summary>The cached verdict for <paramref name="endpoint"/> and <paramref name="bucket"/>, or null.</summary>
    public bool? Read(string endpoint, string bucket)
    {
        try
        {
            if (!File.Exists(Path))
                return null;
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("endpoint", out var e) || e.GetString() != endpoint
                || !root.TryGetProperty("bucket", out var b) || b.GetString() != bucket
                || !root.TryGetProperty("enforced", out var enforced)
                || enforced.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return null;
            return enforced.GetBoolean();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Records a verdict durably (temporary file, fsync, rename, directory fsync).</summary>
    public void Write(string endpoint, string bucket, bool enforced, DateTimeOffset probedAt)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["endpoint"] = endpoint,
            ["bucket"] = bucket,
            ["enforced"] = enforced,
            ["probed_at"] = probedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }, new JsonSerializerOptions { WriteIndented = true });
        Directory.CreateDirectory(backupDirectory);
        var temporary = Path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(json + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        Durability.SyncDirectory(backupDirectory);
    }
}
