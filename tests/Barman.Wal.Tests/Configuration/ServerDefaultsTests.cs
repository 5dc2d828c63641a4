using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class ServerDefaultsTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private Dictionary<string, string> ExpectedDefaults()
    {
        var bh = _sandbox.BarmanHome;
        var expected = new Dictionary<string, string>
        {
            ["active"] = "True",
            ["archiver"] = "True", // both archivers off: Barman forces archiver on
            ["archiver_batch_size"] = "0",
            ["autogenerate_manifest"] = "False",
            ["aws_await_snapshots_timeout"] = "3600",
            ["backup_directory"] = $"{bh}/pg",
            ["backup_method"] = "rsync",
            ["basebackup_retry_sleep"] = "30",
            ["basebackup_retry_times"] = "0",
            ["basebackups_directory"] = $"{bh}/pg/base",
            ["check_timeout"] = "30",
            ["cluster"] = "pg",
            ["compression_level"] = "medium",
            ["conninfo"] = "host=pg user=barman",
            ["create_slot"] = "manual",
            ["disabled"] = "False",
            ["errors_directory"] = $"{bh}/pg/errors",
            ["forward_config_path"] = "False",
            ["immediate_checkpoint"] = "False",
            ["incoming_wals_directory"] = $"{bh}/pg/incoming",
            ["keepalive_interval"] = "60",
            ["minimum_redundancy"] = "0",
            ["network_compression"] = "False",
            ["parallel_jobs"] = "1",
            ["parallel_jobs_start_batch_period"] = "1",
            ["parallel_jobs_start_batch_size"] = "10",
            ["primary_checkpoint_timeout"] = "0",
            ["retention_policy_mode"] = "auto",
            ["streaming_archiver"] = "False",
            ["streaming_archiver_batch_size"] = "0",
            ["streaming_archiver_name"] = "barman_receive_wal",
            ["streaming_backup_name"] = "barman_streaming_backup",
            ["streaming_conninfo"] = "host=pg user=barman",
            ["streaming_wals_directory"] = $"{bh}/pg/streaming",
            ["wal_retention_policy"] = "main",
            ["wals_directory"] = $"{bh}/pg/wals",
            ["worm_mode"] = "False",
            ["xlogdb_directory"] = $"{bh}/pg/wals",
            ["cloud_upload_max_archive_size"] = "100000000000",
            ["wal_header_validation"] = "True",
            ["incomplete_wal_timeout"] = "60",
        };
        foreach (var option in OptionCatalog.Server)
        {
            expected.TryAdd(option.Name, "None");
        }

        return expected;
    }

    [Fact]
    public void Load_minimal_server_has_barman_default_for_every_option()
    {
        var server = _sandbox.LoadServer(string.Empty);

        foreach (var (key, value) in ExpectedDefaults())
        {
            server.Render(key).Should().Be(value, $"default of {key}");
        }

        server.Values.Keys.Should().BeEquivalentTo(OptionCatalog.Server.Select(o => o.Name));
        server.XlogdbFile.Should().Be($"{_sandbox.BarmanHome}/pg/wals/pg-xlog.db");
        server.ServerDirectory.Should().Be($"{_sandbox.BarmanHome}/pg");
        server.Warnings.Should().BeEmpty();
        server.Disabled.Should().BeFalse();
    }

    [Fact]
    public void Load_minimal_server_typed_properties_match_defaults()
    {
        var s = _sandbox.LoadServer(string.Empty);

        s.Active.Should().BeTrue();
        s.StreamingArchiver.Should().BeFalse();
        s.ArchiverBatchSize.Should().Be(0);
        s.StreamingArchiverBatchSize.Should().Be(0);
        s.CheckTimeout.Should().Be(30);
        s.ParallelJobs.Should().Be(1);
        s.CreateSlot.Should().Be("manual");
        s.BackupMethod.Should().Be("rsync");
        s.CompressionLevel.Should().Be("medium");
        s.Compression.Should().BeNull();
        s.Encryption.Should().BeNull();
        s.MaxIncomingWalsQueue.Should().BeNull();
        s.LastWalMaximumAge.Should().BeNull();
        s.CustomCompressionMagic.Should().BeNull();
        s.SlotName.Should().BeNull();
        s.PathPrefix.Should().BeNull();
        s.StreamingArchiverName.Should().Be("barman_receive_wal");
        s.CloudUploadMaxArchiveSize.Should().Be(100_000_000_000L);
        new[] { s.PreArchiveScript, s.PreArchiveRetryScript, s.PostArchiveScript, s.PostArchiveRetryScript,
            s.PreWalDeleteScript, s.PreWalDeleteRetryScript, s.PostWalDeleteScript, s.PostWalDeleteRetryScript }
            .Should().AllSatisfy(v => v.Should().BeNull());
        s.UsesCloudWalStorage.Should().BeFalse();
        s.IsPassive.Should().BeFalse();
        s.BarmanHome.Should().Be(_sandbox.BarmanHome);
        s.BarmanLockDirectory.Should().Be(_sandbox.BarmanHome);
    }

    [Fact]
    public void Load_backup_directory_moves_every_defaulted_subdirectory()
    {
        var s = _sandbox.LoadServer("backup_directory = /srv/pg");

        s.BasebackupsDirectory.Should().Be("/srv/pg/base");
        s.WalsDirectory.Should().Be("/srv/pg/wals");
        s.IncomingWalsDirectory.Should().Be("/srv/pg/incoming");
        s.StreamingWalsDirectory.Should().Be("/srv/pg/streaming");
        s.ErrorsDirectory.Should().Be("/srv/pg/errors");
        s.XlogdbDirectory.Should().Be("/srv/pg/wals");
        s.XlogdbFile.Should().Be("/srv/pg/wals/pg-xlog.db");
    }

    [Fact]
    public void Load_wals_directory_moves_xlogdb_directory()
    {
        var s = _sandbox.LoadServer("wals_directory = /data/w");

        s.XlogdbDirectory.Should().Be("/data/w");
        s.IncomingWalsDirectory.Should().Be($"{_sandbox.BarmanHome}/pg/incoming");
    }

    [Fact]
    public void Load_barman_home_is_not_tilde_expanded()
    {
        var config = _sandbox.Load(_sandbox.Write("barman.conf", "[barman]\nbarman_home = ~/bh\n[pg]\nconninfo = a=b\n"));

        config.FindServer("pg")!.BackupDirectory.Should().Be("~/bh/pg");
    }

    public static TheoryData<string, string, string> InheritedOptions => new()
    {
        { "archiver", "on", "True" },
        { "streaming_archiver", "on", "True" },
        { "archiver_batch_size", "50", "50" },
        { "streaming_archiver_batch_size", "60", "60" },
        { "streaming_archiver_name", "my_receiver", "my_receiver" },
        { "streaming_backup_name", "my_backup", "my_backup" },
        { "slot_name", "global_slot", "global_slot" },
        { "create_slot", "auto", "auto" },
        { "path_prefix", "/usr/pgsql/bin", "/usr/pgsql/bin" },
        { "check_timeout", "10", "10" },
        { "max_incoming_wals_queue", "5", "5" },
        { "last_wal_maximum_age", "2 hours", "2:00:00" },
        { "last_backup_maximum_age", "1 week", "7 days, 0:00:00" },
        { "backup_method", "postgres", "postgres" },
        { "parallel_jobs", "4", "4" },
        { "xlogdb_directory", "/var/lib/barman/catalog", "/var/lib/barman/catalog" },
        { "compression", "gzip", "gzip" },
        { "compression_level", "high", "high" },
        { "custom_compression_filter", "xz -c", "xz -c" },
        { "custom_decompression_filter", "xz -c -d", "xz -c -d" },
        { "custom_compression_magic", "0xfd377a585a00", "0xfd377a585a00" },
        { "encryption", "gpg", "gpg" },
        { "encryption_key_id", "barman@example.com", "barman@example.com" },
        { "encryption_passphrase_command", "cat /x", "cat /x" },
        { "pre_archive_script", "/h/pre", "/h/pre" },
        { "pre_archive_retry_script", "/h/preR", "/h/preR" },
        { "post_archive_script", "/h/post", "/h/post" },
        { "post_archive_retry_script", "/h/postR", "/h/postR" },
        { "pre_wal_delete_script", "/h/pwd", "/h/pwd" },
        { "post_wal_delete_retry_script", "/h/pwdr", "/h/pwdr" },
        { "primary_ssh_command", "ssh barman@primary", "ssh barman@primary" },
        { "aws_profile", "prof", "prof" },
        { "aws_region", "eu-west-1", "eu-west-1" },
        { "retention_policy", "REDUNDANCY 2", "REDUNDANCY 2" },
    };

    [Theory]
    [MemberData(nameof(InheritedOptions))]
    public void Load_inheritable_option_comes_from_barman_section(string key, string value, string rendered)
    {
        var s = _sandbox.LoadServer(string.Empty, global: $"{key} = {value}");

        s.Render(key).Should().Be(rendered);
        s.Raw[key].Should().Be(value);
    }

    [Theory]
    [MemberData(nameof(InheritedOptions))]
    public void Load_server_value_overrides_barman_value(string key, string value, string rendered)
    {
        var s = _sandbox.LoadServer($"{key} = {value}", global: $"{key} = {(key == "slot_name" ? "other" : "x_other")}");

        s.Render(key).Should().Be(rendered);
        s.Raw[key].Should().Be(value);
    }

    [Theory]
    [InlineData("conninfo", "host=global")]
    [InlineData("streaming_conninfo", "host=global")]
    [InlineData("wals_directory", "/global/wals")]
    [InlineData("incoming_wals_directory", "/global/in")]
    [InlineData("streaming_wals_directory", "/global/st")]
    [InlineData("errors_directory", "/global/err")]
    [InlineData("backup_directory", "/global/b")]
    [InlineData("active", "false")]
    [InlineData("description", "global text")]
    [InlineData("primary_conninfo", "host=primary")]
    [InlineData("keepalive_interval", "5")]
    public void Load_server_only_option_in_barman_section_is_silently_ignored(string key, string value)
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[pg]\nconninfo = host=pg user=barman\n", global: $"{key} = {value}"));
        var s = config.FindServer("pg")!;
        var fresh = _sandbox.LoadServer(string.Empty);

        config.Warnings.Should().BeEmpty();
        s.Render(key).Should().Be(fresh.Render(key));
    }

    [Fact]
    public void Load_empty_compression_blocks_global_compression()
    {
        var s = _sandbox.LoadServer("compression =", global: "compression = gzip");

        s.Compression.Should().BeNull();
        s.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_compression_none_spelling_warns_and_keeps_global_compression()
    {
        var s = _sandbox.LoadServer("compression = none", global: "compression = gzip");

        s.Compression.Should().Be("gzip");
        s.Warnings.Should().ContainSingle();
    }

    [Fact]
    public void Load_empty_compression_level_is_unset_not_medium()
    {
        _sandbox.LoadServer("compression_level =").CompressionLevel.Should().BeNull();
    }

    [Fact]
    public void Load_empty_xlogdb_directory_is_unset_and_catalog_stays_in_wals()
    {
        var s = _sandbox.LoadServer("xlogdb_directory =", global: "xlogdb_directory = /cat");

        s.XlogdbDirectory.Should().BeNull();
        s.XlogdbFile.Should().Be($"{_sandbox.BarmanHome}/pg/wals/pg-xlog.db");
    }

    [Fact]
    public void Load_empty_interval_inherits_silently()
    {
        var s = _sandbox.LoadServer("last_wal_maximum_age =", global: "last_wal_maximum_age = 1 day");

        s.LastWalMaximumAge.Should().Be(TimeSpan.FromDays(1));
        s.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_empty_boolean_warns_and_inherits()
    {
        var s = _sandbox.LoadServer("archiver =", global: "archiver = on");

        s.Archiver.Should().BeTrue();
        s.ArchiverForced.Should().BeFalse();
        s.Warnings.Should().Equal(
            "Ignoring invalid configuration value '' for key archiver in [pg] section: Invalid boolean representation (must be one in: true|t|yes|1|on | false|f|no|0|off)");
    }

    [Fact]
    public void Load_empty_streaming_conninfo_is_unset_not_conninfo()
    {
        _sandbox.LoadServer("streaming_conninfo =").StreamingConninfo.Should().BeNull();
    }

    [Fact]
    public void Load_empty_directory_option_uses_default()
    {
        _sandbox.LoadServer("wals_directory =").WalsDirectory.Should().Be($"{_sandbox.BarmanHome}/pg/wals");
    }

    [Fact]
    public void Load_show_server_example_renders_like_barman()
    {
        var s = _sandbox.LoadServer(
            "description = \"Example\"\nstreaming_conninfo = host=pg user=streaming_barman\nbackup_method = postgres\n"
            + "archiver = on\nstreaming_archiver = on\nslot_name = barman\ncreate_slot = auto\npath_prefix = /usr/lib/postgresql/17/bin");
        var bh = _sandbox.BarmanHome;

        var expected = new Dictionary<string, string>
        {
            ["archiver_batch_size"] = "0",
            ["check_timeout"] = "30",
            ["compression"] = "None",
            ["errors_directory"] = $"{bh}/pg/errors",
            ["incoming_wals_directory"] = $"{bh}/pg/incoming",
            ["streaming_wals_directory"] = $"{bh}/pg/streaming",
            ["wals_directory"] = $"{bh}/pg/wals",
            ["streaming_archiver_name"] = "barman_receive_wal",
            ["max_incoming_wals_queue"] = "None",
            ["last_wal_maximum_age"] = "None",
            ["custom_compression_magic"] = "None",
            ["pre_archive_script"] = "None",
            ["post_archive_retry_script"] = "None",
            ["archiver"] = "True",
            ["streaming_archiver"] = "True",
            ["description"] = "Example",
            ["slot_name"] = "barman",
            ["create_slot"] = "auto",
            ["backup_method"] = "postgres",
        };
        foreach (var (key, value) in expected)
        {
            s.Render(key).Should().Be(value, key);
        }

        s.Disabled.Should().BeFalse();
        s.Warnings.Should().BeEmpty();
        s.CommandWarnings.Should().BeEmpty();
    }
}
