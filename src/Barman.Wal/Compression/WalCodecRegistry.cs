namespace Barman.Wal.Compression;

/// <summary>
/// Barman's compression registry: codecs by configured name, magic-byte detection in Barman's
/// order, and opening a stored file decompressed.
/// </summary>
/// <remarks>
/// <para>Detection follows Barman's <c>identify_compression</c>: read the first <see cref="HeaderLength"/>
/// bytes (10, or more for a longer custom magic) and test the names in sorted order
/// (<c>bzip2, custom, gzip, lz4, pigz, pybzip2, pygzip, snappy, xz, zstd</c>); the first whose magic
/// is a prefix wins. Quirks that follow from it:</para>
/// <list type="bullet">
/// <item>gzip magic is always reported as <c>gzip</c> (never <c>pigz</c>/<c>pygzip</c>), bzip2 magic as
/// <c>bzip2</c>; that is the name written to xlog.db for a detected file.</item>
/// <item>A configured custom magic beats every built-in codec except bzip2 (custom sorts after bzip2),
/// whatever <c>compression</c> is set to.</item>
/// <item>An empty custom magic (<c>0x</c>) never matches; the first two characters of the option are
/// dropped without checking that they are <c>0x</c>.</item>
/// <item>A snappy file of an empty WAL is 0 bytes (Barman writes nothing), so it is detected as
/// uncompressed.</item>
/// <item>With <c>compression = custom</c> and no custom magic, Barman treats every unrecognised
/// <em>stored</em> file as custom (duplicate check, rebuild-xlogdb), but not files arriving in
/// incoming: see <see cref="Detect(ReadOnlySpan{byte}, bool)"/>.</item>
/// </list>
/// </remarks>
public sealed class WalCodecRegistry
{
    /// <summary>The names <c>compression</c> accepts (3.17), in Barman's order of the error message.</summary>
    public static readonly IReadOnlyList<string> ConfigNames =
        ["gzip", "bzip2", "pygzip", "pybzip2", "pigz", "xz", "zstd", "lz4", "snappy", "custom"];

    private static readonly (string Name, byte[] Magic)[] BuiltIn =
    [
        ("bzip2", Bzip2Codec.MagicBytes),
        ("gzip", GzipCodec.MagicBytes),
        ("lz4", Lz4Codec.MagicBytes),
        ("pigz", GzipCodec.MagicBytes),
        ("pybzip2", Bzip2Codec.MagicBytes),
        ("pygzip", GzipCodec.MagicBytes),
        ("snappy", SnappyCodec.MagicBytes),
        ("xz", XzCodec.MagicBytes),
        ("zstd", ZstdCodec.MagicBytes),
    ];

    private readonly (string Name, byte[] Magic)[] _detectionOrder;
    private readonly CustomCompressionOptions _custom;

    /// <param name="custom">The custom_* options, or null when none is set.</param>
    /// <exception cref="CompressionException">The custom magic is not hex.</exception>
    public WalCodecRegistry(CustomCompressionOptions? custom = null)
    {
        _custom = custom ?? new CustomCompressionOptions(null, null, null);
        var customMagic = _custom.MagicBytes();
        CustomMagicConfigured = customMagic is not null;
        _detectionOrder = customMagic is { Length: > 0 }
            ? [.. BuiltIn.Append((Name: "custom", Magic: customMagic)).OrderBy(e => e.Item1, StringComparer.Ordinal)]
            : BuiltIn;
        HeaderLength = Math.Max(SnappyCodec.MagicBytes.Length, customMagic?.Length ?? 0);
    }

    /// <summary>How many leading bytes detection needs.</summary>
    public int HeaderLength { get; }

    /// <summary>True when <c>custom_compression_magic</c> is set (even to an empty <c>0x</c>).</summary>
    public bool CustomMagicConfigured { get; }

    /// <summary>True when <paramref name="name"/> (any case) is a valid <c>compression</c> value.</summary>
    public static bool IsKnown(string name) => ConfigNames.Contains(name.ToLowerInvariant());

    /// <summary>The codec for a configured name (lower-cased, as Barman does) at a level.</summary>
    /// <exception cref="UnknownCompressionException">Not a Barman compression name.</exception>
    /// <exception cref="CompressionException">The custom magic is not hex.</exception>
    public WalCodec Get(string name, WalCompressionLevel level = default)
    {
        var key = name.ToLowerInvariant();
        int resolved;
        bool clamped;
        switch (key)
        {
            case "gzip" or "pygzip":
                resolved = level.Resolve(GzipCodec.Levels, out clamped);
                return new GzipCodec(key, resolved, clamped);
            case "bzip2" or "pybzip2":
                resolved = level.Resolve(Bzip2Codec.Levels, out clamped);
                return new Bzip2Codec(key, resolved, clamped);
            case "pigz":
                resolved = level.Resolve(PigzCodec.Levels, out clamped);
                return new PigzCodec(resolved, clamped);
            case "xz":
                resolved = level.Resolve(XzCodec.Levels, out clamped);
                return new XzCodec(resolved, clamped);
            case "zstd":
                resolved = level.Resolve(ZstdCodec.Levels, out clamped);
                return new ZstdCodec(resolved, clamped);
            case "lz4":
                resolved = level.Resolve(Lz4Codec.Levels, out clamped);
                return new Lz4Codec(resolved, clamped);
            case "snappy":
                return new SnappyCodec();
            case "custom":
                return new CustomCodec(_custom);
            default:
                throw new UnknownCompressionException(name);
        }
    }

    /// <summary>Every codec at the default level (for checks and tests).</summary>
    public IEnumerable<WalCodec> All(WalCompressionLevel level = default) => ConfigNames.Select(n => Get(n, level));

    /// <summary>
    /// The compression name Barman's detection gives for a file starting with <paramref name="header"/>
    /// (at least <see cref="HeaderLength"/> bytes, or the whole file if shorter), or null for uncompressed.
    /// </summary>
    /// <param name="header">The file's first bytes.</param>
    /// <param name="assumeCustomWhenUnrecognised">
    /// Pass true when inspecting a file already stored in the archive and <c>compression = custom</c>:
    /// without a custom magic, an unrecognised file is then reported as <c>custom</c> (Barman's rule).
    /// </param>
    public string? Detect(ReadOnlySpan<byte> header, bool assumeCustomWhenUnrecognised = false)
    {
        foreach (var (name, magic) in _detectionOrder)
        {
            if (header.StartsWith(magic))
            {
                return name;
            }
        }

        return assumeCustomWhenUnrecognised && !CustomMagicConfigured ? "custom" : null;
    }

    /// <summary>Detects the compression of a file from its first bytes.</summary>
    public async Task<string?> DetectFileAsync(string path, bool assumeCustomWhenUnrecognised = false, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            return await DetectAsync(stream, assumeCustomWhenUnrecognised, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Detects the compression at the current position of a seekable stream and moves it back.
    /// </summary>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    public async Task<string?> DetectAsync(Stream stream, bool assumeCustomWhenUnrecognised = false, CancellationToken cancellationToken = default)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("Detection needs a seekable stream.", nameof(stream));
        }

        var start = stream.Position;
        var header = new byte[HeaderLength];
        var length = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        stream.Position = start;
        return Detect(header.AsSpan(0, length), assumeCustomWhenUnrecognised);
    }

    /// <summary>
    /// Opens a file for reading its plain content: decompressed with the codec named
    /// <paramref name="compression"/> (as detected or catalogued), or as it is when null.
    /// </summary>
    public Stream OpenDecompressedFile(string path, string? compression)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, WalCodec.BufferSize, FileOptions.SequentialScan);
        if (compression is null)
        {
            return file;
        }

        try
        {
            return Get(compression).OpenDecompressor(file, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The compression name for a cloud WAL object key from its suffix (<c>.gz</c> → gzip, …), or null
    /// when the key has none of the cloud suffixes.
    /// </summary>
    public static string? FromFileExtension(string key) =>
        key switch
        {
            _ when key.EndsWith(".gz", StringComparison.Ordinal) => "gzip",
            _ when key.EndsWith(".bz2", StringComparison.Ordinal) => "bzip2",
            _ when key.EndsWith(".xz", StringComparison.Ordinal) => "xz",
            _ when key.EndsWith(".zst", StringComparison.Ordinal) => "zstd",
            _ when key.EndsWith(".lz4", StringComparison.Ordinal) => "lz4",
            _ when key.EndsWith(".snappy", StringComparison.Ordinal) => "snappy",
            _ => null,
        };
}
