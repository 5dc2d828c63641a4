using Barman.Wal.Compression;

namespace Barman.Wal.Tests.Compression;

public sealed class ExternalCommandTests
{
    private static byte[] Raw => File.ReadAllBytes(Path.Combine(CompressionFixtures.Root, "tiny/raw/random70k.bin"));

    [Fact]
    public void Custom_with_gzip_filters_round_trips()
    {
        var codec = new WalCodecRegistry(new CustomCompressionOptions("gzip -c", "gzip -dc", null)).Get("custom");
        using var compressed = new MemoryStream();
        using (var stage = codec.OpenCompressor(compressed, leaveOpen: true))
        {
            stage.Write(Raw);
        }

        compressed.ToArray()[..3].Should().Equal(0x1f, 0x8b, 0x08);
        compressed.Position = 0;
        using var plain = codec.OpenDecompressor(compressed);
        using var output = new MemoryStream();
        plain.CopyTo(output);
        output.ToArray().Should().Equal(Raw);
        codec.IsExternal.Should().BeTrue();
        codec.FileExtension.Should().BeNull();
    }

    [Fact]
    public void Custom_compression_filter_failing_throws_error_naming_command_and_status()
    {
        var codec = new WalCodecRegistry(new CustomCompressionOptions("echo broken >&2; exit 3", "cat", null)).Get("custom");

        var act = () =>
        {
            using var stage = codec.OpenCompressor(new MemoryStream());
            stage.Write(Raw);
        };

        act.Should().Throw<CompressionException>()
            .WithMessage("custom compression command 'echo broken >&2; exit 3' failed (exit status 3): broken");
    }

    [Fact]
    public async Task Custom_compression_filter_printing_nothing_throws()
    {
        var codec = new WalCodecRegistry(new CustomCompressionOptions("cat > /dev/null", "cat", null)).Get("custom");

        var act = async () =>
        {
            await using var stage = codec.OpenCompressor(new MemoryStream());
            await stage.WriteAsync(Raw);
        };

        (await act.Should().ThrowAsync<CompressionException>())
            .WithMessage("custom compression command 'cat > /dev/null' failed (it printed nothing for a non-empty input)");
    }

    [Fact]
    public async Task RunFileToFile_writes_the_filter_output_into_the_destination()
    {
        using var temp = new TempDirectory();
        var source = temp.File("in");
        var destination = temp.File("out");
        await File.WriteAllBytesAsync(source, Raw);

        await ShellFilterProcess.RunFileToFileAsync("gzip -c -1", "custom compression", source, destination, CancellationToken.None);

        var (exit, stderr) = CompressionFixtures.Shell($"gzip -dc < '{destination}' | cmp -s - '{source}'", "gzip");
        exit.Should().Be(0, stderr);
    }

    [Theory]
    [InlineData("true", "custom compression command 'true' failed (it printed nothing for a non-empty input)")]
    [InlineData("echo broken >&2; exit 3", "custom compression command 'echo broken >&2; exit 3' failed (exit status 3): broken")]
    public async Task RunFileToFile_failing_or_silent_filter_throws_error_naming_command(string filter, string message)
    {
        using var temp = new TempDirectory();
        var source = temp.File("in");
        await File.WriteAllBytesAsync(source, Raw);

        var act = () => ShellFilterProcess.RunFileToFileAsync(filter, "custom compression", source, temp.File("out"), CancellationToken.None);

        (await act.Should().ThrowAsync<CompressionException>()).WithMessage(message);
    }

    [Fact]
    public void Custom_decompression_filter_failing_throws_error_naming_command()
    {
        var codec = new WalCodecRegistry(new CustomCompressionOptions("cat", "no-such-command-here", null)).Get("custom");

        var act = () =>
        {
            using var plain = codec.OpenDecompressor(new MemoryStream(Raw));
            plain.CopyTo(Stream.Null);
        };

        act.Should().Throw<CompressionException>()
            .WithMessage("custom decompression command 'no-such-command-here' failed (exit status 127)*");
    }

    [Theory]
    [InlineData(null, "cat", "custom_compression_filter")]
    [InlineData("cat", null, "custom_decompression_filter")]
    public void Custom_without_filter_throws_compression_incompatibility(string? filter, string? unfilter, string missing)
    {
        var codec = new WalCodecRegistry(new CustomCompressionOptions(filter, unfilter, null)).Get("custom");

        var act = () =>
        {
            using var stream = missing == "custom_compression_filter"
                ? codec.OpenCompressor(new MemoryStream())
                : codec.OpenDecompressor(new MemoryStream());
        };

        act.Should().Throw<CompressionIncompatibilityException>().WithMessage(missing);
    }

    [Fact]
    public void Pigz_round_trips_and_reports_its_level()
    {
        var codec = new WalCodecRegistry().Get("pigz", WalCompressionLevel.High);
        codec.EnsureAvailable();
        using var compressed = new MemoryStream();
        using (var stage = codec.OpenCompressor(compressed, leaveOpen: true))
        {
            stage.Write(Raw);
        }

        codec.Level.Should().Be(9);
        compressed.Position = 0;
        using var plain = new WalCodecRegistry().Get("gzip").OpenDecompressor(compressed);
        using var output = new MemoryStream();
        plain.CopyTo(output);
        output.ToArray().Should().Equal(Raw);
    }

    [Fact]
    public void Pigz_decompressing_garbage_throws_error_naming_pigz()
    {
        var act = () =>
        {
            using var plain = new WalCodecRegistry().Get("pigz").OpenDecompressor(new MemoryStream(Raw));
            plain.CopyTo(Stream.Null);
        };

        act.Should().Throw<CompressionException>().WithMessage("pigz decompression command 'pigz -c -d' failed (exit status *");
    }
}
