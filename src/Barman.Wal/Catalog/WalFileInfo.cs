namespace Barman.Wal.Catalog;

/// <summary>
/// One WAL file as the archive knows it: the record a storage strategy mutates while storing and the
/// caller then writes as one xlog.db line.
/// </summary>
public sealed class WalFileInfo
{
    /// <summary>Base name, exactly as archived.</summary>
    public required string Name { get; init; }

    /// <summary>Size in bytes of the file as stored (after compression/encryption).</summary>
    public long Size { get; set; }

    /// <summary>The source's mtime as a Python float (<c>sec + nsec * 1e-9</c>).</summary>
    public double Time { get; set; }

    /// <summary><see cref="Time"/> as an instant (UTC).</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(Time * TimeSpan.TicksPerSecond));

    /// <summary>Registry name of the stored compression (<c>gzip</c>, <c>zstd</c>...), null for none.</summary>
    public string? Compression { get; set; }

    /// <summary><c>gpg</c> or null.</summary>
    public string? Encryption { get; set; }

    /// <summary>The source path while the source exists; null once it is gone.</summary>
    public string? OriginalPath { get; set; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
