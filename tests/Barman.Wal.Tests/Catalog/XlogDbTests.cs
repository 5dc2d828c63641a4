using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Storage;

namespace Barman.Wal.Tests.Catalog;

public sealed class XlogDbTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("xlogdb-").FullName;

    private string Wals => Path.Combine(_root, "pg1", "wals");

    private XlogDb Catalog(string? xlogdbDirectory = null) =>
        new("pg1", Wals, xlogdbDirectory, _root, new ContentReaderInspector(new RegistryContentReader(new WalCodecRegistry(), false)));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task OpenAsync_with_no_catalog_creates_empty_modern_file()
    {
        using (var session = await Catalog().OpenAsync())
            session.Location.Path.Should().Be(Path.Combine(Wals, "pg1-xlog.db"));
        File.ReadAllText(Path.Combine(Wals, "pg1-xlog.db")).Should().BeEmpty();
        File.Exists(Path.Combine(_root, ".pg1-xlogdb.lock")).Should().BeTrue();
    }

    [Fact]
    public async Task OpenAsync_with_missing_catalog_rebuilds_from_archive_in_ordinal_order()
    {
        var hash = Path.Combine(Wals, "0000000100000000");
        Directory.CreateDirectory(hash);
        File.WriteAllBytes(Path.Combine(hash, "000000010000000000000002"), new byte[10]);
        File.WriteAllBytes(Path.Combine(hash, "000000010000000000000001"), new byte[20]);
        File.WriteAllBytes(Path.Combine(hash, "000000010000000000000001.00000028.backup"), new byte[5]);
        File.WriteAllBytes(Path.Combine(hash, "000000010000000000000003.partial"), new byte[5]);
        File.WriteAllBytes(Path.Combine(hash, "000000010000000000000004.tmp"), new byte[5]);
        File.WriteAllText(Path.Combine(Wals, "00000002.history"), "1\t0/3000000\tno recovery target specified\n");
        File.WriteAllText(Path.Combine(Wals, "xlog.db"), "legacy content is not copied\n");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression", "segment", "000000010000000000000004.gz"), Path.Combine(hash, "000000010000000000000005"));
        var catalog = Catalog();
        catalog.Location.IsLegacy.Should().BeTrue("only the legacy file exists yet");
        // A modern catalog requested explicitly: the legacy file is removed and everything re-derived.
        File.Delete(Path.Combine(Wals, "xlog.db"));

        var lines = await catalog.ReadAllAsync();

        lines.Select(l => (l.Name, l.Size, l.Compression)).Should().Equal(
            ("000000010000000000000001", 20L, (string?)null),
            ("000000010000000000000001.00000028.backup", 5L, null),
            ("000000010000000000000002", 10L, null),
            ("000000010000000000000005", new FileInfo(Path.Combine(hash, "000000010000000000000005")).Length, "gzip"),
            ("00000002.history", 41L, null));
    }

    [Fact]
    public async Task Legacy_catalog_keeps_four_columns()
    {
        Directory.CreateDirectory(Wals);
        File.WriteAllText(Path.Combine(Wals, "xlog.db"), "000000010000000000000001\t16777216\t1795488859.3288012\tNone\n");
        using (var session = await Catalog().OpenAsync())
        {
            session.Location.IsLegacy.Should().BeTrue();
            session.Append(new WalFileInfo { Name = "000000010000000000000002", Size = 3, Time = 1.0 });
        }

        File.ReadAllText(Path.Combine(Wals, "xlog.db")).Should().Be(
            "000000010000000000000001\t16777216\t1795488859.3288012\tNone\n000000010000000000000002\t3\t1.0\tNone\n");
    }

    [Fact]
    public async Task Modern_catalog_wins_when_both_exist()
    {
        Directory.CreateDirectory(Wals);
        File.WriteAllText(Path.Combine(Wals, "xlog.db"), "");
        File.WriteAllText(Path.Combine(Wals, "pg1-xlog.db"), "");
        var location = Catalog().Location;
        location.IsLegacy.Should().BeFalse();
        location.Warning.Should().Contain("legacy");
        (await Catalog().ReadAllAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Xlogdb_directory_moves_the_catalog()
    {
        var elsewhere = Path.Combine(_root, "catalogs");
        using (var session = await Catalog(elsewhere).OpenAsync())
            session.Append(new WalFileInfo { Name = "000000010000000000000009", Size = 1, Time = 2.5, Compression = "zstd" });
        File.ReadAllText(Path.Combine(elsewhere, "pg1-xlog.db")).Should().Be("000000010000000000000009\t1\t2.5\tzstd\tNone\n");
    }

    [Fact]
    public async Task ReadAllAsync_reports_bad_line_with_its_number()
    {
        Directory.CreateDirectory(Wals);
        File.WriteAllText(Path.Combine(Wals, "pg1-xlog.db"), "000000010000000000000001\t1\t1.0\tNone\tNone\n\n");
        var read = () => Catalog().ReadAllAsync();
        (await read.Should().ThrowAsync<XlogDbFormatException>())
            .WithMessage("*pg1-xlog.db, line 2: cannot parse line: '\\n'");
    }

    [Fact]
    public async Task Concurrent_sessions_serialise_on_the_catalog_lock()
    {
        var catalog = Catalog();
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < 25; n++)
            {
                using var session = await catalog.OpenAsync();
                session.Append(new WalFileInfo { Name = $"{i:X8}{0:X8}{n:X8}", Size = n, Time = n });
            }
        }));
        await Task.WhenAll(tasks);
        var lines = await catalog.ReadAllAsync();
        lines.Should().HaveCount(200);
        lines.Select(l => l.Name).Should().OnlyHaveUniqueItems();
    }
}
