namespace Barman.Wal.Compression;

/// <summary>
/// One WAL compression algorithm as Barman names it, usable as a stream stage:
/// read → <see cref="OpenCompressor"/> → encrypt → write, and the reverse with
/// <see cref="OpenDecompressor"/>. Instances come from <see cref="WalCodecRegistry"/>.
/// </summary>
/// <remarks>
/// All stages stream with bounded memory. A compressor's output is complete only after the
/// returned stream is disposed (it writes the end of the stream, or waits for the external command
/// and checks its exit status); a decompressor reports corrupt or truncated input, and a failing
/// command, as <see cref="CompressionException"/> from Read or Dispose.
/// </remarks>
public abstract class WalCodec
{
    /// <summary>Buffer size used by every stage (and recommended for copies into a stage).</summary>
    public const int BufferSize = 128 * 1024;

    private protected WalCodec(string name, int? level, bool levelClamped)
    {
        Name = name;
        Level = level;
        LevelClamped = levelClamped;
    }

    /// <summary>Barman's compression name as written in xlog.db (the configured spelling, e.g. <c>pygzip</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Suffix of cloud WAL object keys (<c>.gz</c>, <c>.bz2</c>, <c>.xz</c>, <c>.zst</c>, <c>.lz4</c>,
    /// <c>.snappy</c>); null for codecs without a cloud form (pigz, custom).
    /// </summary>
    public abstract string? FileExtension { get; }

    /// <summary>The magic bytes that identify this codec's output; empty when it has none.</summary>
    public abstract ReadOnlyMemory<byte> Magic { get; }

    /// <summary>True when the codec runs an external command (pigz, custom filters).</summary>
    public virtual bool IsExternal => false;

    /// <summary>
    /// For the codecs that are a shell filter (pigz, custom): the command compressing stdin to stdout and
    /// what it is called in messages; null for in-process codecs.
    /// </summary>
    /// <exception cref="CompressionIncompatibilityException">custom without <c>custom_compression_filter</c>.</exception>
    public virtual (string Command, string Description)? CompressionFilter => null;

    /// <summary>
    /// True for Barman's in-memory codecs, the only ones cloud WAL storage accepts
    /// (gzip, bzip2, pygzip, pybzip2, xz, zstd, lz4, snappy).
    /// </summary>
    public bool SupportsCloud => !IsExternal;

    /// <summary>The level actually used (after low/medium/high mapping and clamping); null when the codec has none.</summary>
    public int? Level { get; }

    /// <summary>True when an integer <c>compression_level</c> was outside the codec's range and was clamped.</summary>
    public bool LevelClamped { get; }

    /// <summary>
    /// Returns a write-only stream; bytes written to it are compressed into <paramref name="destination"/>.
    /// Dispose (or DisposeAsync) it to finish the compressed stream.
    /// </summary>
    public abstract Stream OpenCompressor(Stream destination, bool leaveOpen = false);

    /// <summary>Returns a read-only stream of the plain bytes decoded from <paramref name="source"/>.</summary>
    public abstract Stream OpenDecompressor(Stream source, bool leaveOpen = false);

    /// <summary>
    /// Throws <see cref="CompressionException"/> when the codec cannot run here (missing command or
    /// native library), so a configuration can be rejected before any WAL is touched.
    /// </summary>
    public virtual void EnsureAvailable()
    {
    }

    /// <inheritdoc />
    public override string ToString() => Level is { } level ? $"{Name} (level {level})" : Name;
}
