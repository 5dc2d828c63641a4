using System.Text;
using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

/// <summary>The libdeflate (gzip) and libbz2 (bzip2) paths, and the managed fallbacks they replace.</summary>
public sealed class NativeCodecTests
{
    private static readonly WalCodecRegistry Registry = new();

    /// <summary>libdeflate's member header at the default level: MTIME 0, XFL 0, OS 255 (unknown).</summary>
    private static readonly byte[] MemberHeader = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff];

    [Fact]
    public void Get_gzip_with_libdeflate_installed_uses_native_compressor()
    {
        LibDeflate.UnavailableReason.Should().BeNull("libdeflate0 must be installed: apt-get install -y libdeflate0");

        ((GzipCodec)Registry.Get("gzip")).UsesNativeCompressor.Should().BeTrue();
        ((GzipCodec)Registry.Get("pygzip")).UsesNativeCompressor.Should().BeTrue();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(6, 5)]
    [InlineData(9, 8)]
    public void LibDeflateLevel_runs_one_below_barmans_zlib_level_except_at_1(int barman, int libdeflate)
    {
        GzipCodec.LibDeflateLevel(barman).Should().Be(libdeflate);
    }

    [Fact]
    public async Task Compress_gzip_each_named_level_keeps_the_wal_segment_within_2_percent_of_zlib_at_that_level()
    {
        var raw = await File.ReadAllBytesAsync(CompressionFixtures.RawSegment);
        foreach (var (name, level) in new[] { ("low", 1), ("medium", 6), ("high", 9) })
        {
            var codec = Registry.Get("gzip", WalCompressionLevel.TryParse(name, out var parsed) ? parsed : default);
            using var ours = new MemoryStream();
            using (var stage = codec.OpenCompressor(ours, leaveOpen: true))
            {
                stage.Write(raw);
            }

            using var zlib = new MemoryStream();
            using (var deflate = new System.IO.Compression.ZLibStream(zlib, new System.IO.Compression.ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                deflate.Write(raw);
            }

            ((double)ours.Length / zlib.Length).Should().BeLessThan(1.02, $"{name} ({level}) against zlib-ng at {level}");
        }
    }

    [Fact]
    public void Get_bzip2_with_libbz2_installed_uses_native_library()
    {
        LibBz2.UnavailableReason.Should().BeNull("libbz2-1.0 must be installed: apt-get install -y libbz2-1.0");

        ((Bzip2Codec)Registry.Get("bzip2")).UsesNativeLibrary.Should().BeTrue();
        ((Bzip2Codec)Registry.Get("pybzip2")).UsesNativeLibrary.Should().BeTrue();
    }

    [Fact]
    public void Compress_gzip_input_of_several_chunks_writes_members_read_by_gzip_python_and_own_reader()
    {
        using var temp = new TempDirectory();
        var raw = SampleInput((3 * GzipDeflateStream.ChunkSize) + 12345);
        var compressed = temp.File("out.gz");
        using (var file = File.Create(compressed))
        using (var stage = Registry.Get("gzip").OpenCompressor(file))
        {
            WriteInOddPieces(stage, raw);
        }

        var bytes = File.ReadAllBytes(compressed);
        CountMemberHeaders(bytes).Should().BeGreaterThanOrEqualTo(4, "one member per 1 MiB chunk");
        Decompress(Registry.Get("gzip"), bytes).Should().Equal(raw);
        AssertCliRestores(temp, $"gzip -dc < '{compressed}'", "gzip", raw);
        AssertCliRestores(temp, $"python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())' '{compressed}'", "python3", raw);
    }

    [Fact]
    public async Task Compress_gzip_segment_async_round_trips_in_sixteen_members()
    {
        var raw = File.ReadAllBytes(CompressionFixtures.RawSegment);
        using var output = new MemoryStream();
        await using (var stage = Registry.Get("gzip").OpenCompressor(output, leaveOpen: true))
        {
            await stage.WriteAsync(raw);
        }

        var bytes = output.ToArray();
        CountMemberHeaders(bytes).Should().BeGreaterThanOrEqualTo(raw.Length / GzipDeflateStream.ChunkSize);
        Decompress(Registry.Get("gzip"), bytes).Should().Equal(raw);
    }

    [Fact]
    public void Compress_gzip_at_exact_chunk_size_writes_no_trailing_empty_member()
    {
        var raw = SampleInput(GzipDeflateStream.ChunkSize);
        using var output = new MemoryStream();
        using (var stage = Registry.Get("gzip").OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(raw);
        }

        var bytes = output.ToArray();
        CountMemberHeaders(bytes).Should().Be(1);
        Decompress(Registry.Get("gzip"), bytes).Should().Equal(raw);
    }

    [Fact]
    public void Compress_gzip_with_native_disabled_writes_one_zlib_member_readable_by_gzip()
    {
        using var temp = new TempDirectory();
        var codec = new GzipCodec("gzip", 6, clamped: false, preferNative: false);
        var raw = SampleInput((2 * GzipDeflateStream.ChunkSize) + 7);
        var compressed = temp.File("out.gz");
        using (var file = File.Create(compressed))
        using (var stage = codec.OpenCompressor(file))
        {
            WriteInOddPieces(stage, raw);
        }

        codec.UsesNativeCompressor.Should().BeFalse();
        var bytes = File.ReadAllBytes(compressed);
        CountMemberHeaders(bytes).Should().Be(0, "GZipStream writes OS 3, not libdeflate's header");
        Decompress(codec, bytes).Should().Equal(raw);
        AssertCliRestores(temp, $"gzip -dc < '{compressed}'", "gzip", raw);
    }

    [Fact]
    public async Task Compress_empty_input_with_native_gzip_async_writes_empty_member()
    {
        using var output = new MemoryStream();
        var stage = Registry.Get("gzip").OpenCompressor(output, leaveOpen: true);
        await stage.DisposeAsync();

        output.ToArray().Should().Equal(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    [Theory]
    [InlineData("low", "BZh1")]
    [InlineData("medium", "BZh5")]
    [InlineData("high", "BZh9")]
    public void Compress_bzip2_writes_barman_block_size_header(string level, string header)
    {
        WalCompressionLevel.TryParse(level, out var parsed).Should().BeTrue();
        var codec = Registry.Get("bzip2", parsed);
        using var output = new MemoryStream();
        using (var stage = codec.OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(SampleInput(5000));
        }

        Encoding.ASCII.GetString(output.ToArray(), 0, 4).Should().Be(header);
    }

    public static TheoryData<string> TinyInputs() => [.. CompressionFixtures.TinyInputs];

    [Theory]
    [MemberData(nameof(TinyInputs))]
    public void Compress_bzip2_natively_matches_barman_bytes(string input)
    {
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", "raw", input));

        Compress(Registry.Get("bzip2"), raw).Should().Equal(File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny", input + ".bz2")));
    }

    [Fact]
    public void Compress_bzip2_natively_and_with_fallback_read_by_each_other_and_bzip2()
    {
        using var temp = new TempDirectory();
        var native = new Bzip2Codec("bzip2", 5, clamped: false);
        var managed = new Bzip2Codec("bzip2", 5, clamped: false, preferNative: false);
        var raw = SampleInput(1_500_000);

        var fromNative = Compress(native, raw);
        var fromManaged = Compress(managed, raw);

        managed.UsesNativeLibrary.Should().BeFalse();
        Encoding.ASCII.GetString(fromManaged, 0, 4).Should().Be("BZh9", "SharpCompress has no level");
        Decompress(managed, fromNative).Should().Equal(raw);
        Decompress(native, fromManaged).Should().Equal(raw);
        var file = temp.File("out.bz2");
        File.WriteAllBytes(file, fromNative);
        AssertCliRestores(temp, $"bzip2 -dc < '{file}'", "bzip2", raw);
    }

    [Fact]
    public void OpenDecompressor_native_bzip2_on_two_streams_returns_both()
    {
        var stream = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.bz2"));
        var raw = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/1k.bin"));

        Decompress(Registry.Get("bzip2"), [.. stream, .. stream]).Should().Equal([.. raw, .. raw]);
    }

    [Fact]
    public void OpenDecompressor_native_bzip2_with_garbage_after_stream_throws()
    {
        var bytes = File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/1k.bin.bz2")).Concat("BZhgarbage"u8.ToArray()).ToArray();

        Action act = () => Decompress(Registry.Get("bzip2"), bytes);

        act.Should().Throw<CompressionException>().WithMessage("bzip2 decompression failed*");
    }

    /// <summary>Compressible, non-repeating bytes: the WAL segment fixture, cycled.</summary>
    private static byte[] SampleInput(int length)
    {
        var segment = File.ReadAllBytes(CompressionFixtures.RawSegment);
        var result = new byte[length];
        for (var offset = 0; offset < length; offset += segment.Length)
        {
            segment.AsSpan(0, Math.Min(segment.Length, length - offset)).CopyTo(result.AsSpan(offset));
        }

        return result;
    }

    private static void WriteInOddPieces(Stream stage, byte[] raw)
    {
        var sizes = new[] { 1, 4093, 65536, 1_000_003, 7 };
        var offset = 0;
        for (var i = 0; offset < raw.Length; i++)
        {
            var count = Math.Min(sizes[i % sizes.Length], raw.Length - offset);
            stage.Write(raw, offset, count);
            offset += count;
        }
    }

    private static int CountMemberHeaders(byte[] bytes)
    {
        var count = 0;
        var span = bytes.AsSpan();
        for (var at = span.IndexOf(MemberHeader); at >= 0; at = span.IndexOf(MemberHeader))
        {
            count++;
            span = span[(at + MemberHeader.Length)..];
        }

        return count;
    }

    private static byte[] Compress(WalCodec codec, byte[] raw)
    {
        using var output = new MemoryStream();
        using (var stage = codec.OpenCompressor(output, leaveOpen: true))
        {
            stage.Write(raw);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(WalCodec codec, byte[] compressed)
    {
        using var plain = codec.OpenDecompressor(new MemoryStream(compressed));
        using var output = new MemoryStream();
        plain.CopyTo(output);
        return output.ToArray();
    }

    private static void AssertCliRestores(TempDirectory temp, string command, string tool, byte[] raw)
    {
        var output = temp.File(tool + ".out");
        var (exit, stderr) = CompressionFixtures.Shell($"{command} > '{output}'", tool);
        exit.Should().Be(0, stderr);
        File.ReadAllBytes(output).Should().Equal(raw, $"{command} must restore the input");
    }
}
