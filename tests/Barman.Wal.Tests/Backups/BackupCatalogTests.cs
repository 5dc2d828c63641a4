using Barman.Wal.Backups;
using Barman.Wal.Tests.Compression;
using FluentAssertions;
using Xunit;

namespace Barman.Wal.Tests.Backups;

public sealed class BackupCatalogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Server => _temp.Path;

    private string Base => Path.Combine(Server, "base");

    private BackupCatalog Load() => BackupCatalog.Load(Server, Base);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_the_real_3_17_file_with_its_typed_fields()
    {
        BarmanBackups.Write(Server, "20261207T213935", "DONE", "000000010000000000000004", "000000010000000000000004");

        var backup = Load().Backups.Should().ContainSingle().Subject;

        backup.Id.Should().Be("20261207T213935");
        backup.Status.Should().Be(BackupStatus.Done);
        backup.BeginWal.Should().Be("000000010000000000000004");
        backup.EndWal.Should().Be("000000010000000000000004");
        backup.Timeline.Should().Be(1);
        backup.Size.Should().Be(23191065);
        backup.Mode.Should().Be("postgres");
        backup.ServerName.Should().Be("pg1");
        backup.Error.Should().BeNull();
        backup.BeginTime.Should().Be(new DateTimeOffset(2026, 12, 7, 21, 39, 35, 524, 62, TimeSpan.Zero));
        backup.EndTime.Should().Be(new DateTimeOffset(2026, 12, 7, 21, 44, 35, TimeSpan.Zero));
        backup.IsLegacyLocation.Should().BeFalse();
        backup.Fields["children_backup_ids"].Should().BeNull();
    }

    [Fact]
    public void Reads_the_minimal_legacy_file_of_the_spec()
    {
        BarmanBackups.WriteRaw(Server, "20260101T100000",
            "status=DONE\nbegin_wal=000000010000000000000005\nend_wal=000000010000000000000005\ntimeline=1\n" +
            "begin_time=2026-01-01 10:00:00+00:00\nend_time=2026-01-01 10:05:00+00:00\nsize=0\n", legacy: true);

        var catalog = Load();

        catalog.Damaged.Should().BeEmpty();
        catalog.FirstAvailable!.Id.Should().Be("20260101T100000");
        catalog.FirstAvailable.IsLegacyLocation.Should().BeTrue();
        catalog.FirstAvailable.BeginWal.Should().Be("000000010000000000000005");
    }

    [Fact]
    public void Meta_replaces_the_legacy_entry_of_the_same_id()
    {
        BarmanBackups.WriteRaw(Server, "20260101T100000", "status=FAILED\n", legacy: true);
        BarmanBackups.WriteRaw(Server, "20260101T100000", "status=STARTED\n");

        Load().Backups.Should().ContainSingle().Which.Status.Should().Be(BackupStatus.Started);
    }

    [Fact]
    public void Blank_comment_and_crlf_lines_load_and_the_last_duplicate_wins()
    {
        BarmanBackups.WriteRaw(Server, "20260101T100000",
            "# comment\r\n\r\n  \nstatus = FAILED\r\nstatus=DONE\r\nbegin_wal = 000000010000000000000002\r\nend_wal=000000010000000000000003\r\n");

        var backup = Load().Backups.Should().ContainSingle().Subject;
        backup.Status.Should().Be("DONE");
        backup.BeginWal.Should().Be("000000010000000000000002");
        backup.EffectiveTimeline.Should().Be(1);
    }

    [Fact]
    public void An_empty_file_is_an_EMPTY_backup()
    {
        BarmanBackups.WriteRaw(Server, "20260101T100000", string.Empty);

        Load().Backups.Should().ContainSingle().Which.Status.Should().Be(BackupStatus.Empty);
    }

    [Fact]
    public void Ignores_dot_names_wrongly_named_meta_files_and_directories_without_backup_info()
    {
        Directory.CreateDirectory(Path.Combine(Base, ".hidden"));
        File.WriteAllText(Path.Combine(Base, ".hidden", "backup.info"), "status=DONE\n");
        Directory.CreateDirectory(Path.Combine(Base, "20260101T090000"));
        Directory.CreateDirectory(Path.Combine(Server, "meta"));
        File.WriteAllText(Path.Combine(Server, "meta", "backup.info"), "status=DONE\n");
        File.WriteAllText(Path.Combine(Server, "meta", ".x-backup.info"), "status=DONE\n");
        File.WriteAllText(Path.Combine(Server, "meta", "20260101T100000-keep"), "full");

        var catalog = Load();

        catalog.Backups.Should().BeEmpty();
        catalog.Damaged.Should().BeEmpty();
    }

    [Fact]
    public void Orders_ids_ordinally_and_picks_first_last_previous_and_next_available()
    {
        BarmanBackups.Write(Server, "20260103T100000", "WAITING_FOR_WALS", "00000001000000000000000A", "00000001000000000000000B");
        BarmanBackups.Write(Server, "20260101T100000", "FAILED", null, null);
        BarmanBackups.Write(Server, "20260102T100000", "DONE", "000000010000000000000005", "000000010000000000000006", legacy: true);
        BarmanBackups.Write(Server, "20260104T100000", "STARTED", null, null);
        BarmanBackups.WriteRaw(Server, "20260105T100000", "status=done\nbegin_wal=x\nend_wal=y\n");

        var catalog = Load();

        catalog.Backups.Select(b => b.Id).Should().Equal(
            "20260101T100000", "20260102T100000", "20260103T100000", "20260104T100000", "20260105T100000");
        catalog.Available.Select(b => b.Id).Should().Equal("20260102T100000", "20260103T100000");
        catalog.FirstAvailable!.Id.Should().Be("20260102T100000");
        catalog.LastAvailable!.Id.Should().Be("20260103T100000");
        catalog.DoneCount.Should().Be(1);
        catalog.Previous("20260103T100000")!.Id.Should().Be("20260102T100000");
        catalog.Previous("20260102T100000").Should().BeNull();
        catalog.Next("20260101T100000")!.Id.Should().Be("20260102T100000");
        catalog.Next("20260103T100000").Should().BeNull();
        catalog.WithStatus(BackupStatus.Failed).Should().ContainSingle().Which.Id.Should().Be("20260101T100000");
        catalog.Find("20260105T100000")!.IsAvailable.Should().BeFalse("lower-case 'done' matches no status set");
    }

    [Theory]
    [InlineData("status DONE\n", "invalid line status DONE")]
    [InlineData("status=DONE\nbackup_colour=red\n", "unsupported field 'backup_colour' (written by a newer Barman?)")]
    [InlineData("status=DONE\nbegin_wal=000000010000000000000002\nend_wal=000000010000000000000002\ntimeline=abc\n", "timeline: invalid literal for int() with base 10: 'abc'")]
    [InlineData("status=DONE\nbegin_wal=000000010000000000000002\nend_wal=000000010000000000000002\nend_time=garbage\n", "end_time: unknown date format: 'garbage'")]
    [InlineData("status=DONE\nend_wal=000000010000000000000002\n", "status DONE without begin_wal")]
    [InlineData("status=WAITING_FOR_WALS\nbegin_wal=000000010000000000000002\n", "status WAITING_FOR_WALS without end_wal")]
    public void A_damaged_file_is_reported_with_its_path_and_skipped(string content, string problem)
    {
        var damagedPath = BarmanBackups.WriteRaw(Server, "20260102T100000", content);
        BarmanBackups.Write(Server, "20260101T100000", "DONE", "000000010000000000000002", "000000010000000000000002");

        var catalog = Load();

        catalog.Backups.Select(b => b.Id).Should().Equal("20260101T100000");
        var damaged = catalog.Damaged.Should().ContainSingle().Subject;
        damaged.Path.Should().Be(damagedPath);
        damaged.Problem.Should().Be(problem);
        damaged.ToString().Should().Be($"{damagedPath}: {problem}");
    }

    [Fact]
    public void Started_and_failed_backups_need_no_other_field()
    {
        BarmanBackups.WriteRaw(Server, "20260101T100000", "status=STARTED\n");
        BarmanBackups.WriteRaw(Server, "20260102T100000", "status=FAILED\nerror=boom\n");

        var catalog = Load();
        catalog.Damaged.Should().BeEmpty();
        catalog.Backups.Should().HaveCount(2);
        catalog.FirstAvailable.Should().BeNull();
    }

    [Fact]
    public void Missing_directories_mean_no_backups()
    {
        var catalog = BackupCatalog.Load(Path.Combine(Server, "nosuch"), Path.Combine(Server, "nosuch", "base"));

        catalog.Backups.Should().BeEmpty();
        catalog.Damaged.Should().BeEmpty();
    }

    [Fact]
    public void Tells_orphans_apart()
    {
        BarmanBackups.Write(Server, "20260101T100000", "DONE", "000000010000000000000002", "000000010000000000000002");
        BarmanBackups.Write(Server, "20260102T100000", "DONE", "000000010000000000000003", "000000010000000000000003");
        Directory.Delete(Path.Combine(Base, "20260102T100000"), recursive: true);
        BarmanBackups.Write(Server, "20260103T100000", "DONE", "000000010000000000000004", "000000010000000000000004", legacy: true);
        Directory.Delete(Path.Combine(Base, "20260103T100000", "data"));

        var backups = Load().Backups;

        BackupCatalog.IsOrphan(backups[0], Base).Should().BeFalse();
        BackupCatalog.IsOrphan(backups[1], Base).Should().BeTrue();
        BackupCatalog.IsOrphan(backups[2], Base).Should().BeTrue();
    }
}
