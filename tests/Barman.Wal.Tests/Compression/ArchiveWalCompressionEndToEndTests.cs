using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Compression;

/// <summary>
/// The built tool archives real PostgreSQL 15 WAL with every <c>compression</c> value: the catalog
/// records the configured name (spec storage §2 step 3), every stored file decodes to the segment with barman-wal's reader and with the
/// Debian command-line tool, and a second run finds nothing.
/// </summary>
public sealed class ArchiveWalCompressionEndToEndTests(RealWalFixture wal) : IClassFixture<RealWalFixture>, IDisposable
{
    private static readonly Dictionary<string, (string Recorded, string? Cli)> Expected = new()
    {
        ["gzip"] = ("gzip", "gzip -dc"),
        ["pygzip"] = ("pygzip", "gzip -dc"),
        ["pigz"] = ("pigz", "gzip -dc"),
        ["custom"] = ("custom", "gzip -dc"),
        ["bzip2"] = ("bzip2", "bzip2 -dc"),
        ["pybzip2"] = ("pybzip2", "bzip2 -dc"),
        ["xz"] = ("xz", "xz -dc"),
        ["zstd"] = ("zstd", "zstd -dcq"),
        ["lz4"] = ("lz4", "lz4 -dcq"),
        ["snappy"] = ("snappy", null),
    };

    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    public static TheoryData<string> Names() => [.. WalCodecRegistry.ConfigNames];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ArchiveWal_with_compression_stores_real_segments_that_decode_with_own_reader_and_cli(string compression)
    {
        var options = new Dictionary<string, string>
        {
            ["description"] = "test", ["conninfo"] = "host=127.0.0.1", ["archiver"] = "on", ["wal_header_validation"] = "on",
            ["compression"] = compression,
        };
        if (compression == "custom")
        {
            options["custom_compression_filter"] = "gzip -c -1";
            options["custom_decompression_filter"] = "gzip -dc";
            options["custom_compression_magic"] = "0x1f8b08";
        }

        _home.WriteConfig(options);
        _home.CreateServerDirectories();
        var names = wal.Segments.Take(3).Append(wal.BackupLabel).Order(StringComparer.Ordinal).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);

        var result = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(new[] { "Processing xlog segments from file archival for pg1" }.Concat(names.Select(n => "\t" + n)));
        Directory.GetFileSystemEntries(_home.IncomingDirectory()).Should().BeEmpty();
        var catalog = _home.ReadXlogDb().Select(XlogDbLine.Parse).ToDictionary(w => w.Name, StringComparer.Ordinal);
        catalog.Keys.Should().BeEquivalentTo(names);
        var (recorded, cli) = Expected[compression];
        var registry = new WalCodecRegistry(new CustomCompressionOptions("gzip -c -1", "gzip -dc", "0x1f8b08"));
        using var temp = new TempDirectory();
        foreach (var name in names)
        {
            var stored = Path.Combine(_home.WalsDirectory(), name[..16], name);
            catalog[name].Compression.Should().Be(recorded, name);
            catalog[name].Size.Should().Be(new FileInfo(stored).Length, name);
            var original = CompressionFixtures.Sha256(new MemoryStream(wal.Read(name)));
            await using (var plain = registry.OpenDecompressedFile(stored, recorded))
                CompressionFixtures.Sha256(plain).Should().Be(original, $"{name} through barman-wal's reader");
            if (cli is not null)
            {
                var output = temp.File(name + ".cli");
                var (exit, stderr) = CompressionFixtures.Shell($"{cli} < '{stored}' > '{output}'", cli.Split(' ')[0]);
                exit.Should().Be(0, stderr);
                CompressionFixtures.Sha256File(output).Should().Be(original, $"{name} through {cli}");
            }
        }

        var second = await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"]);
        second.ExitCode.Should().Be(0, second.ToString());
        second.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\tno file found");
    }
}
