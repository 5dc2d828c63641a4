namespace Barman.Wal.Tests.Configuration;

/// <summary>spec/config.md §8.</summary>
public sealed class WorkedExampleTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Load_worked_example_as_written_keeps_inline_comments_in_values()
    {
        var config = _sandbox.Load(_sandbox.Write("barman.conf", """
            [barman]
            barman_home = /var/lib/barman
            barman_user = barman
            log_file = /var/log/barman/barman.log
            compression = gzip
            xlogdb_directory = /var/lib/barman/catalog     ; <- NOT a comment: value is "/var/lib/barman/catalog     ; <- NOT a comment: ..."
            configuration_files_directory = @ROOT@/barman.d

            [pg1]
            conninfo = host=pg1 user=barman dbname=postgres
            streaming_conninfo = host=pg1 user=streaming_barman
            archiver = on
            streaming_archiver = yes
            slot_name = Barman          ; value "Barman          ; ..." fails the slot regex -> warning, slot unset
            compression = None          ; same problem; write "compression =" on a line by itself instead
            """));
        var pg1 = config.FindServer("pg1")!;

        pg1.XlogdbDirectory.Should().Be(
            "/var/lib/barman/catalog     ; <- NOT a comment: value is \"/var/lib/barman/catalog     ; <- NOT a comment: ...\"");
        pg1.SlotName.Should().BeNull();
        pg1.Compression.Should().Be("gzip");
        pg1.Warnings.Should().Equal(
            // Barman evaluates options in its KEYS order: compression before slot_name
            "Ignoring invalid configuration value 'None          ; same problem; write \"compression =\" on a line by itself instead' "
            + "for key compression in [pg1] section: Invalid value: 'none          ; same problem; write \"compression =\" on a line by itself instead' "
            + "(must be one in: gzip, bzip2, pygzip, pybzip2, pigz, xz, zstd, lz4, snappy, custom)",
            "Ignoring invalid configuration value 'Barman          ; value \"Barman          ; ...\" fails the slot regex -> warning, slot unset' "
            + "for key slot_name in [pg1] section: Replication slot names may only contain lower case letters, numbers, and the underscore character.");
        config.LogWarnings.Should().ContainSingle().Which.Should().StartWith("Ignoring the \"configuration_files_directory\" option");
        config.Global.BarmanUser.Should().Be("barman");
        config.Global.LogFile.Should().Be("/var/log/barman/barman.log");
        pg1.Archiver.Should().BeTrue();
        pg1.StreamingArchiver.Should().BeTrue();
        pg1.Disabled.Should().BeFalse();
    }

    [Fact]
    public void Load_worked_example_corrected_intent()
    {
        _sandbox.Write("barman.d/pg1.conf", """
            [pg1]
            conninfo = host=pg1 user=barman dbname=postgres
            streaming_conninfo = host=pg1 user=streaming_barman
            archiver = on
            streaming_archiver = yes
            slot_name = barman
            compression =
            """);
        var config = _sandbox.Load(_sandbox.Write("barman.conf", """
            [barman]
            barman_home = /var/lib/barman
            barman_user = barman
            log_file = /var/log/barman/barman.log
            compression = gzip
            xlogdb_directory = /var/lib/barman/catalog
            configuration_files_directory = @ROOT@/barman.d
            """));
        var pg1 = config.FindServer("pg1")!;

        config.Warnings.Should().BeEmpty();
        config.LogWarnings.Should().BeEmpty();
        pg1.SlotName.Should().Be("barman");
        pg1.Compression.Should().BeNull();
        pg1.XlogdbFile.Should().Be("/var/lib/barman/catalog/pg1-xlog.db");
        pg1.WalsDirectory.Should().Be("/var/lib/barman/pg1/wals");
        pg1.IncomingWalsDirectory.Should().Be("/var/lib/barman/pg1/incoming");
        pg1.StreamingWalsDirectory.Should().Be("/var/lib/barman/pg1/streaming");
        pg1.ErrorsDirectory.Should().Be("/var/lib/barman/pg1/errors");
        pg1.StreamingConninfo.Should().Be("host=pg1 user=streaming_barman");
        pg1.Disabled.Should().BeFalse();
        pg1.CommandWarnings.Should().BeEmpty();
    }
}
