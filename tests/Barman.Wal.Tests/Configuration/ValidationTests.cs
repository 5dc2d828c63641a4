using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class ValidationTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Load_unknown_keys_warn_in_barman_order()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[pg]\nconninfo = a=b\nbogus = 1\nbarman_home = /x\n[pg2]\nconninfo = a=b\nmodel = false\n",
            global: "unknown_global = 1\nlog_format = %%%%(message)s"));

        config.Warnings.Should().Equal(
            "Invalid configuration option \"unknown_global\" in [barman] section.",
            "Invalid configuration option \"log_format\" in [barman] section.",
            "Invalid configuration option \"bogus\" in [pg] section.",
            "Invalid configuration option \"barman_home\" in [pg] section.",
            "Invalid configuration option \"model\" in [pg2] section.");
        config.FindServer("pg")!.Warnings.Should().HaveCount(2);
        config.Global.LogFormat.Should().Be("%(message)s");
    }

    [Fact]
    public void Load_real_world_configuration_full_of_backup_options_has_no_warnings()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("""
            [pg]
            description = "Main PostgreSQL"
            conninfo = host=pg user=barman dbname=postgres
            ssh_command = ssh postgres@pg
            backup_method = rsync
            reuse_backup = link
            network_compression = true
            parallel_jobs = 4
            retention_policy = RECOVERY WINDOW OF 4 WEEKS
            wal_retention_policy = main
            retention_policy_mode = auto
            minimum_redundancy = 2
            immediate_checkpoint = true
            backup_options = concurrent_backup,external_configuration
            recovery_options = get-wal
            bandwidth_limit = 4000
            tablespace_bandwidth_limit = tbs1:1000
            basebackup_retry_times = 3
            basebackup_retry_sleep = 10
            last_backup_maximum_age = 1 week
            last_backup_minimum_size = 1Gi
            keepalive_interval = 30
            pre_backup_script = /bin/true
            post_backup_retry_script = /bin/true
            pre_delete_script = /bin/true
            post_recovery_script = /bin/true
            recovery_staging_path = /tmp/staging
            local_staging_path = /tmp/local
            autogenerate_manifest = false
            forward_config_path = false
            primary_checkpoint_timeout = 0
            snapshot_provider = gcp
            snapshot_instance = vm1
            snapshot_disks = disk1,disk2
            gcp_project = proj
            gcp_zone = europe-west1-b
            backup_compression = gzip
            backup_compression_format = tar
            backup_compression_level = 5
            backup_compression_location = client
            backup_compression_workers = 2
            worm_mode = off
            cluster = main
            archiver = on
            streaming_archiver = on
            streaming_conninfo = host=pg user=streaming_barman
            slot_name = barman
            create_slot = auto
            """, global: "log_level = INFO\nbarman_user = barman\nlock_directory_cleanup = true\nconfig_changes_queue = /tmp/q\nminimum_redundancy = 1\nretention_policy = REDUNDANCY 3"));

        config.Warnings.Should().BeEmpty();
        config.LogWarnings.Should().BeEmpty();
        var s = config.FindServer("pg")!;
        s.Disabled.Should().BeFalse();
        s.Raw["retention_policy"].Should().Be("RECOVERY WINDOW OF 4 WEEKS");
        s.Raw["tablespace_bandwidth_limit"].Should().Be("tbs1:1000");
        s.Render("backup_options").Should().Be("concurrent_backup,external_configuration");
    }

    [Fact]
    public void Load_global_defaults_are_barman_defaults()
    {
        var g = _sandbox.Load(_sandbox.WriteMain()).Global;

        g.BarmanHome.Should().Be(_sandbox.BarmanHome);
        g.BarmanUser.Should().Be("barman");
        g.BarmanLockDirectory.Should().Be(_sandbox.BarmanHome);
        g.LockDirectoryCleanup.Should().BeTrue();
        g.LogFile.Should().BeNull();
        g.LogLevel.Should().Be("INFO");
        g.LogLevelNumber.Should().Be(20);
        g.LogFormat.Should().Be("%(asctime)s [%(process)s] %(name)s %(levelname)s: %(message)s");
        g.ConfigurationFilesDirectory.Should().BeNull();
        g.ConfigChangesQueue.Should().Be(_sandbox.BarmanHome + "/cfg_changes.queue");
    }

    [Fact]
    public void Load_global_options_are_read()
    {
        var g = _sandbox.Load(_sandbox.WriteMain(global:
            "barman_user = postgres\nbarman_lock_directory = /run/barman\nlock_directory_cleanup = off\nlog_file = \"/var/log/b.log\"\nlog_level = debug")).Global;

        g.BarmanUser.Should().Be("postgres");
        g.BarmanLockDirectory.Should().Be("/run/barman");
        g.LockDirectoryCleanup.Should().BeFalse();
        g.LogFile.Should().Be("/var/log/b.log");
        g.LogLevel.Should().Be("debug");
        g.LogLevelNumber.Should().Be(10);
    }

    [Theory]
    [InlineData("WARN", 30)]
    [InlineData("fatal", 50)]
    [InlineData("15", 15)]
    [InlineData("NOTSET", 0)]
    public void Load_python_log_levels_are_accepted(string level, int number)
    {
        var config = _sandbox.Load(_sandbox.WriteMain(global: $"log_level = {level}"));

        config.Global.LogLevelNumber.Should().Be(number);
        config.LogWarnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_unknown_log_level_logs_warning_and_uses_info()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(global: "log_level = chatty"));

        config.Global.LogLevelNumber.Should().Be(20);
        config.LogWarnings.Should().Equal("unknown log_level in config file: chatty");
    }

    [Fact]
    public void Load_invalid_lock_directory_cleanup_is_fatal()
    {
        var path = _sandbox.WriteMain(global: "lock_directory_cleanup = maybe");

        var error = _sandbox.LoadFails(path);

        error.StderrLines.Should().Equal(
            "EXCEPTION: Invalid boolean representation (must be one in: true|t|yes|1|on | false|f|no|0|off)",
            "See log file for more details.");
        error.Message.Should().Be(
            $"{path}: [barman] lock_directory_cleanup: invalid value 'maybe': Invalid boolean representation (must be one in: true|t|yes|1|on | false|f|no|0|off)");
    }

    [Fact]
    public void Load_server_named_all_is_fatal()
    {
        var error = _sandbox.LoadFails(_sandbox.WriteMain("[all]\nconninfo = a=b\n"));

        error.StderrLines.Should().Equal("FATAL: the reserved word 'all' is not allowed as server name.Please rename it.");
    }

    [Theory]
    [InlineData("", "PostgreSQL connection: Missing 'conninfo' parameter for server 'pg'")]
    [InlineData("conninfo =", "PostgreSQL connection: Missing 'conninfo' parameter for server 'pg'")]
    [InlineData("conninfo = postgresql://barman@pg/postgres",
        "PostgreSQL connection: Cannot connect to postgres: \"postgresql://barman@pg/postgres\" is not a valid connection string")]
    [InlineData("conninfo = host=pg application_name='my app'",
        "PostgreSQL connection: Cannot connect to postgres: \"host=pg application_name='my app'\" is not a valid connection string")]
    public void Load_bad_conninfo_disables_server(string line, string message)
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[pg]\narchiver = on\n" + line));
        var s = config.FindServer("pg")!;

        s.Disabled.Should().BeTrue();
        s.Messages.Should().Equal(message);
    }

    [Theory]
    [InlineData("streaming_archiver = on\nslot_name = s\nstreaming_conninfo =")]
    [InlineData("streaming_archiver = on\nslot_name = s\nstreaming_conninfo = None")]
    [InlineData("archiver = on\nbackup_method = postgres\nstreaming_conninfo =")]
    public void Load_streaming_without_streaming_conninfo_disables_server(string body)
    {
        var s = _sandbox.LoadServer(body);

        s.Messages.Should().Equal("Streaming connection: Missing 'streaming_conninfo' parameter for server 'pg'");
    }

    [Fact]
    public void Load_streaming_without_any_conninfo_reports_both_in_order()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[pg]\nstreaming_archiver = on\n"));

        config.FindServer("pg")!.Messages.Should().Equal(
            "PostgreSQL connection: Missing 'conninfo' parameter for server 'pg'",
            "Streaming connection: Missing 'streaming_conninfo' parameter for server 'pg'",
            "Streaming-only archiver requires 'streaming_conninfo' and 'slot_name' options to be properly configured");
    }

    [Fact]
    public void Load_invalid_streaming_conninfo_disables_server()
    {
        var s = _sandbox.LoadServer("streaming_archiver = on\nslot_name = s\nstreaming_conninfo = postgres://x");

        s.Messages.Should().Equal(
            "Streaming connection: Cannot connect to postgres: \"postgres://x\" is not a valid connection string");
    }

    [Fact]
    public void Load_streaming_only_without_slot_disables_server()
    {
        var s = _sandbox.LoadServer("streaming_archiver = on");

        s.Messages.Should().Equal(
            "Streaming-only archiver requires 'streaming_conninfo' and 'slot_name' options to be properly configured");
    }

    [Fact]
    public void Load_no_archiver_forces_file_archiver_with_two_warnings()
    {
        var s = _sandbox.LoadServer("archiver = off\nstreaming_archiver = off\nactive = false");

        s.Archiver.Should().BeTrue();
        s.ArchiverForced.Should().BeTrue();
        s.Active.Should().BeFalse();
        s.Disabled.Should().BeFalse();
        s.CommandWarnings.Should().Equal(
            "No archiver enabled for server 'pg'. Please turn on 'archiver', 'streaming_archiver' or both",
            "Forcing 'archiver = on'");
    }

    [Fact]
    public void Load_passive_node_needs_no_conninfo()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[pg]\nprimary_ssh_command = ssh barman@primary\n"));
        var s = config.FindServer("pg")!;

        s.IsPassive.Should().BeTrue();
        s.Disabled.Should().BeFalse();
        s.CommandWarnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_conflicting_paths_inside_server_disable_it()
    {
        var s = _sandbox.LoadServer($"wals_directory = {_sandbox.BarmanHome}/pg/incoming\narchiver = on");

        s.Disabled.Should().BeTrue();
        s.Messages.Should().Equal(
            $"Conflicting path: wals_directory={_sandbox.BarmanHome}/pg/incoming conflicts with 'incoming_wals_directory' for server 'pg'");
    }

    [Fact]
    public void Load_conflicting_path_through_symlink_names_target()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox.Root, "real"));
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "link"), Path.Combine(_sandbox.Root, "real"));
        var s = _sandbox.LoadServer($"errors_directory = {_sandbox.Root}/real\nwals_directory = {_sandbox.Root}/link\narchiver = on");

        s.Messages.Should().Equal(
            $"Conflicting path: wals_directory={_sandbox.Root}/link (symlink to: {_sandbox.Root}/real) conflicts with 'errors_directory' for server 'pg'");
    }

    [Fact]
    public void Load_path_shared_by_two_servers_is_a_global_error()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[zeta]\nconninfo = a=b\nwals_directory = /shared/w\n[alpha]\nconninfo = a=b\nwals_directory = /shared/w\n"));

        config.Errors.Should().Equal(
            "Conflicting path: wals_directory=/shared/w for server 'zeta' conflicts with 'wals_directory' for server 'alpha'");
        config.FindServer("zeta")!.Disabled.Should().BeFalse();
    }

    [Fact]
    public void Load_shared_xlogdb_directory_is_not_a_conflict()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[a]\nconninfo = a=b\n[b]\nconninfo = a=b\n", global: "xlogdb_directory = /var/lib/barman/catalog"));

        config.Errors.Should().BeEmpty();
        config.FindServer("a")!.XlogdbFile.Should().Be("/var/lib/barman/catalog/a-xlog.db");
        config.FindServer("b")!.XlogdbFile.Should().Be("/var/lib/barman/catalog/b-xlog.db");
    }

    [Fact]
    public void Load_model_section_is_not_a_server_and_active_model_applies()
    {
        _sandbox.Write("bh/pg/.active-model.auto", "pg:switch\n");
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[pg]\nconninfo = host=a\narchiver = on\ncluster = c1\n"
            + "[pg:switch]\nmodel = true\ncluster = c1\nwal_conninfo = host=b\ncompression = gzip\n"));

        config.Servers.Select(s => s.Name).Should().Equal("pg");
        config.ModelNames.Should().Equal("pg:switch");
        var s = config.FindServer("pg")!;
        s.ActiveModel.Should().Be("pg:switch");
        s.Compression.Should().Be("gzip");
        s.WalConninfo.Should().Be("host=b");
        config.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_active_model_that_does_not_exist_disables_server()
    {
        _sandbox.Write("bh/pg/.active-model.auto", "gone");

        var s = _sandbox.LoadServer("archiver = on");

        s.Messages.Should().Equal("Model 'gone' is set as the active model for the server 'pg' but the model does not exist.");
    }

    [Fact]
    public void Load_model_from_other_cluster_is_not_applied()
    {
        _sandbox.Write("bh/pg/.active-model.auto", "m");
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[pg]\nconninfo = host=a\narchiver = on\n[m]\nmodel = on\ncluster = other\ncompression = gzip\n"));
        var s = config.FindServer("pg")!;

        s.Compression.Should().BeNull();
        s.CommandWarnings.Should().Equal(
            "Model 'm' has 'cluster=other', which is not compatible with 'cluster=pg' from server 'pg'");
    }

    [Fact]
    public void Load_model_without_cluster_is_fatal()
    {
        var error = _sandbox.LoadFails(_sandbox.WriteMain("[m]\nmodel = true\ncompression = gzip\n"));

        error.StderrLines.Should().Equal(
            "ERROR: Parameter \"cluster\" is required in [m] section.",
            "Your configuration is missing required parameters. Exiting.");
    }

    [Fact]
    public void Load_model_with_path_option_warns()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[m]\nmodel = true\ncluster = c\nwals_directory = /x\n"));

        config.Warnings.Should().Equal("Invalid configuration option \"wals_directory\" in [m] section.");
    }

    [Fact]
    public void Load_cloud_wals_directory_selects_cloud_storage()
    {
        var s = _sandbox.LoadServer("archiver = on\nwals_directory = s3://bucket/barman\nxlogdb_directory = /var/lib/barman/catalog");

        s.UsesCloudWalStorage.Should().BeTrue();
        s.WalsCloudProvider.Should().Be("aws-s3");
        s.Disabled.Should().BeFalse();
        s.XlogdbFile.Should().Be("/var/lib/barman/catalog/pg-xlog.db");
    }

    [Theory]
    [InlineData("s3://bucket", "aws-s3")]
    [InlineData("S3://bucket/p/", "aws-s3")]
    [InlineData("gs://bucket/p", "google-cloud-storage")]
    [InlineData("https://console.cloud.google.com/storage/browser/bucket", "google-cloud-storage")]
    [InlineData("https://acct.blob.core.windows.net/container", "azure-blob-storage")]
    [InlineData("s3:///nohost", null)]
    [InlineData("/var/lib/barman/pg/wals", null)]
    [InlineData("https://example.com/x", null)]
    public void Load_cloud_provider_is_recognised_from_url(string url, string? provider)
    {
        _sandbox.LoadServer($"archiver = on\nwals_directory = {url}\nxlogdb_directory = /c").WalsCloudProvider.Should().Be(provider);
    }

    [Fact]
    public void Load_cloud_wals_directory_with_default_xlogdb_directory_disables_server()
    {
        var s = _sandbox.LoadServer("archiver = on\nwals_directory = s3://bucket/barman");

        s.Messages.Should().Equal("Cloud WAL storage requires 'xlogdb_directory' to be a local directory for server 'pg'");
    }

    [Fact]
    public void Load_kms_key_without_kms_encryption_disables_cloud_server()
    {
        var s = _sandbox.LoadServer(
            "archiver = on\nwals_directory = s3://b\nxlogdb_directory = /c\naws_sse_kms_key_id = k1\naws_encryption = AES256");

        s.Messages.Should().Equal("aws_encryption must be \"aws:kms\" if aws_sse_kms_key_id is specified");
    }

    [Fact]
    public void Load_wal_connection_overrides_build_receive_wal_message()
    {
        var s = _sandbox.LoadServer("archiver = on\nwal_streaming_conninfo = host=s\nwal_conninfo = host=w");

        var o = s.GetWalConnectionOverrides();

        o.StreamingConninfo.Should().Be("host=s");
        o.Conninfo.Should().Be("host=w");
        o.Message.Should().Be(
            "Configuration overrides applied: 'streaming_conninfo' overridden with 'host=s' and 'conninfo' overridden with 'host=w'");
    }

    [Fact]
    public void Load_wal_streaming_conninfo_alone_replaces_both_connections()
    {
        var o = _sandbox.LoadServer("archiver = on\nwal_streaming_conninfo = host=s").GetWalConnectionOverrides();

        o.Conninfo.Should().Be("host=s");
        o.Message.Should().Be(
            "Configuration overrides applied: 'streaming_conninfo' overridden with 'host=s' and 'conninfo' overridden with 'host=s'");
    }

    [Fact]
    public void Load_without_wal_connections_has_no_override_message()
    {
        var o = _sandbox.LoadServer("archiver = on").GetWalConnectionOverrides();

        o.Message.Should().BeNull();
        o.Conninfo.Should().Be("host=pg user=barman");
    }
}
