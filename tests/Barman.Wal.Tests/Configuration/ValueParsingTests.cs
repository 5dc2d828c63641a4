using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class ValueParsingTests : IDisposable
{
    private const string Bool = "Invalid boolean representation (must be one in: true|t|yes|1|on | false|f|no|0|off)";
    private const string Slot = "Replication slot names may only contain lower case letters, numbers, and the underscore character.";
    private const string Compressions = "gzip, bzip2, pygzip, pybzip2, pigz, xz, zstd, lz4, snappy, custom";

    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // key, written value, value shown in the warning, reason
        { "active", "yess", "yess", Bool },
        { "active", "", "", Bool },
        { "active", "None", "", Bool },
        { "archiver", "2", "2", Bool },
        { "archiver", "enabled", "enabled", Bool },
        { "archiver", "y", "y", Bool },
        { "archiver", "true false", "true false", Bool },
        { "streaming_archiver", "onn", "onn", Bool },
        { "streaming_archiver", "-1", "-1", Bool },
        { "streaming_archiver", "n", "n", Bool },
        { "network_compression", "tru", "tru", Bool },
        { "immediate_checkpoint", "si", "si", Bool },
        { "autogenerate_manifest", "0.0", "0.0", Bool },
        { "forward_config_path", "nope", "nope", Bool },
        { "worm_mode", "enable", "enable", Bool },
        { "archiver_batch_size", "abc", "abc", "invalid literal for int() with base 10: 'abc'" },
        { "archiver_batch_size", "", "", "invalid literal for int() with base 10: ''" },
        { "archiver_batch_size", "None", "", "invalid literal for int() with base 10: ''" },
        { "archiver_batch_size", "1.5", "1.5", "invalid literal for int() with base 10: '1.5'" },
        { "archiver_batch_size", "10k", "10k", "invalid literal for int() with base 10: '10k'" },
        { "streaming_archiver_batch_size", "1__0", "1__0", "invalid literal for int() with base 10: '1__0'" },
        { "streaming_archiver_batch_size", "_1", "_1", "invalid literal for int() with base 10: '_1'" },
        { "streaming_archiver_batch_size", "1_", "1_", "invalid literal for int() with base 10: '1_'" },
        { "check_timeout", "0x10", "0x10", "invalid literal for int() with base 10: '0x10'" },
        { "check_timeout", "--1", "--1", "invalid literal for int() with base 10: '--1'" },
        { "check_timeout", "+-1", "+-1", "invalid literal for int() with base 10: '+-1'" },
        { "check_timeout", "1 2", "1 2", "invalid literal for int() with base 10: '1 2'" },
        { "check_timeout", "30s", "30s", "invalid literal for int() with base 10: '30s'" },
        { "max_incoming_wals_queue", "many", "many", "invalid literal for int() with base 10: 'many'" },
        { "max_incoming_wals_queue", "1e3", "1e3", "invalid literal for int() with base 10: '1e3'" },
        { "parallel_jobs", "two", "two", "invalid literal for int() with base 10: 'two'" },
        { "minimum_redundancy", "it's", "it's", "invalid literal for int() with base 10: \"it's\"" },
        { "keepalive_interval", "60 s", "60 s", "invalid literal for int() with base 10: '60 s'" },
        { "basebackup_retry_times", "x", "x", "invalid literal for int() with base 10: 'x'" },
        { "last_wal_maximum_age", "1day", "1day", "Invalid value for a time interval 1day" },
        { "last_wal_maximum_age", "1 minute", "1 minute", "Invalid value for a time interval 1 minute" },
        { "last_wal_maximum_age", "1 year", "1 year", "Invalid value for a time interval 1 year" },
        { "last_wal_maximum_age", "-1 day", "-1 day", "Invalid value for a time interval -1 day" },
        { "last_wal_maximum_age", "day", "day", "Invalid value for a time interval day" },
        { "last_wal_maximum_age", "1.5 days", "1.5 days", "Invalid value for a time interval 1.5 days" },
        { "last_wal_maximum_age", "1 d", "1 d", "Invalid value for a time interval 1 d" },
        { "last_wal_maximum_age", "1 days ago", "1 days ago", "Invalid value for a time interval 1 days ago" },
        { "last_backup_maximum_age", "10 seconds", "10 seconds", "Invalid value for a time interval 10 seconds" },
        { "last_backup_minimum_size", "1 GB", "1 GB", "Invalid value for a number 1 GB" },
        { "last_backup_minimum_size", "1g", "1g", "Invalid value for a number 1g" },
        { "last_backup_minimum_size", "-1", "-1", "Invalid value for a number -1" },
        { "last_backup_minimum_size", "1 K", "1 K", "Invalid value for a number 1 K" },
        { "last_backup_minimum_size", "1.5G", "1.5G", "Invalid value for a number 1.5G" },
        { "last_backup_minimum_size", "G", "G", "Invalid value for a number G" },
        { "last_backup_minimum_size", " 1k", "1k", "" },
        { "compression", "none", "none", $"Invalid value: 'none' (must be one in: {Compressions})" },
        { "compression", "GZIPX", "GZIPX", $"Invalid value: 'gzipx' (must be one in: {Compressions})" },
        { "compression", "zip", "zip", $"Invalid value: 'zip' (must be one in: {Compressions})" },
        { "compression", "brotli", "brotli", $"Invalid value: 'brotli' (must be one in: {Compressions})" },
        { "compression", "gzip ; comment", "gzip ; comment", $"Invalid value: 'gzip ; comment' (must be one in: {Compressions})" },
        { "compression_level", "maximum", "maximum", "Invalid value: 'maximum' (must be one in [low, medium, high] or an acceptable integer)" },
        { "compression_level", "+5", "+5", "Invalid value: '+5' (must be one in [low, medium, high] or an acceptable integer)" },
        { "compression_level", "--5", "--5", "invalid literal for int() with base 10: '--5'" },
        { "compression_level", "5.0", "5.0", "Invalid value: '5.0' (must be one in [low, medium, high] or an acceptable integer)" },
        { "compression_level", "Fast", "Fast", "Invalid value: 'fast' (must be one in [low, medium, high] or an acceptable integer)" },
        { "encryption", "", "", "Invalid encryption value ''. Allowed values are: none, gpg." },
        { "encryption", "None", "", "Invalid encryption value ''. Allowed values are: none, gpg." },
        { "encryption", "GPG2", "GPG2", "Invalid encryption value 'gpg2'. Allowed values are: none, gpg." },
        { "encryption", "aes", "aes", "Invalid encryption value 'aes'. Allowed values are: none, gpg." },
        { "slot_name", "Barman ; x", "Barman ; x", Slot },
        { "slot_name", "my-slot", "my-slot", Slot },
        { "slot_name", "", "", Slot },
        { "slot_name", "slot name", "slot name", Slot },
        { "create_slot", "yes", "yes", "Invalid value (use 'manual' or 'auto')" },
        { "create_slot", "", "", "Invalid value (use 'manual' or 'auto')" },
        { "create_slot", "AUTOMATIC", "AUTOMATIC", "Invalid value (use 'manual' or 'auto')" },
        { "backup_method", "pg_basebackup", "pg_basebackup", "Invalid value (must be one in: 'rsync', 'postgres', 'local-rsync', 'snapshot', 'local-to-cloud')" },
        { "backup_method", "", "", "Invalid value (must be one in: 'rsync', 'postgres', 'local-rsync', 'snapshot', 'local-to-cloud')" },
        { "reuse_backup", "on", "on", "Invalid value (use 'copy', 'link' or 'off')" },
        { "backup_compression", "bzip2", "bzip2", "Invalid value 'bzip2'(must be one in: ['gzip', 'lz4', 'zstd', 'none'])" },
        { "backup_compression_format", "zip", "zip", "Invalid value (must be either `plain` or `tar`)" },
        { "backup_compression_location", "both", "both", "Invalid value (must be either `client` or `server`)" },
        { "backup_options", "foo", "foo", "Invalid configuration value 'foo' for key backup_options in [pg] section: Unknown option" },
        { "backup_options", "concurrent_backup,exclusive_backup", "concurrent_backup,exclusive_backup",
            "Invalid configuration value 'exclusive_backup' for key backup_options in [pg] section: cannot contain both 'exclusive_backup' and 'concurrent_backup'.Configuration directive ignored." },
        { "recovery_options", "get_wal", "get_wal", "Invalid configuration value 'get_wal' for key recovery_options in [pg] section: Unknown option" },
        { "local_staging_path", "relative/path", "relative/path", "Invalid value : 'relative/path' (must be an absolute path)" },
        { "snapshot_disks", "a,,b", "a,,b", "['a', '', 'b']" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Load_invalid_value_warns_in_one_line_and_keeps_default(string key, string written, string shown, string reason)
    {
        var config = _sandbox.Load(_sandbox.WriteMain($"[pg]\nconninfo = a=b\n{key} = {written}\n"));
        var server = config.FindServer("pg")!;

        if (reason.Length == 0)
        {
            // " 1k": configparser strips the blank, so the value is valid
            server.Warnings.Should().BeEmpty();
            return;
        }

        var expected = $"Ignoring invalid configuration value '{shown}' for key {key} in [pg] section: {reason}";
        server.Warnings.Should().Equal(expected);
        config.Warnings.Should().Equal(expected);
        expected.Should().NotContain("\n");
        var fresh = _sandbox.LoadServer(string.Empty);
        server.Render(key).Should().Be(fresh.Render(key), "an invalid value falls back to the default");
    }

    [Theory]
    [InlineData("archiver", "on")]
    [InlineData("compression", "gzip")]
    [InlineData("slot_name", "from_global")]
    [InlineData("check_timeout", "45")]
    [InlineData("encryption", "gpg")]
    [InlineData("create_slot", "auto")]
    public void Load_invalid_server_value_falls_back_to_barman_value(string key, string globalValue)
    {
        var server = _sandbox.LoadServer($"{key} = !!bad!!", global: $"{key} = {globalValue}");

        server.Warnings.Should().ContainSingle().Which.Should().StartWith($"Ignoring invalid configuration value '!!bad!!' for key {key} in [pg] section: ");
        server.Render(key).Should().Be(globalValue == "on" ? "True" : globalValue);
    }

    [Fact]
    public void Load_invalid_barman_value_warns_per_server_with_barman_label()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[a]\nconninfo = a=b\n[b]\nconninfo = a=b\n", global: "check_timeout = soon"));

        var expected = "Ignoring invalid configuration value 'soon' for key check_timeout in [barman] section: "
            + "invalid literal for int() with base 10: 'soon'";
        config.Warnings.Should().Equal(expected, expected);
        config.FindServer("a")!.CheckTimeout.Should().Be(30);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("t", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("F", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("OFF", false)]
    public void Load_boolean_words_are_accepted(string written, bool expected)
    {
        var server = _sandbox.LoadServer($"streaming_archiver = {written}\narchiver = on\nslot_name = s");

        server.StreamingArchiver.Should().Be(expected);
        server.Warnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("25", 25L)]
    [InlineData("-5", -5L)]
    [InlineData("+7", 7L)]
    [InlineData("1_000", 1000L)]
    [InlineData("007", 7L)]
    public void Load_python_integers_are_accepted(string written, long expected)
    {
        _sandbox.LoadServer($"archiver_batch_size = {written}").ArchiverBatchSize.Should().Be(expected);
    }

    [Theory]
    [InlineData("1 day", 24)]
    [InlineData("2 days", 48)]
    [InlineData("1 DAYS", 24)]
    [InlineData("2 weeks", 336)]
    [InlineData("1 month", 744)]
    [InlineData("3 Months", 2232)]
    [InlineData("4 hours", 4)]
    [InlineData("1 Hour", 1)]
    [InlineData("0 days", 0)]
    [InlineData("1   week", 168)]
    public void Load_time_intervals_are_parsed(string written, int hours)
    {
        _sandbox.LoadServer($"last_wal_maximum_age = {written}").LastWalMaximumAge.Should().Be(TimeSpan.FromHours(hours));
    }

    [Theory]
    [InlineData("10", 10L)]
    [InlineData("1k", 1000L)]
    [InlineData("1 Ki", 1024L)]
    [InlineData("2Mi", 2097152L)]
    [InlineData("3 M", 3000000L)]
    [InlineData("3 G", 3000000000L)]
    [InlineData("30Gi", 32212254720L)]
    [InlineData("1T", 1000000000000L)]
    [InlineData("1Ti", 1099511627776L)]
    public void Load_sizes_are_parsed(string written, long bytes)
    {
        _sandbox.LoadServer($"last_backup_minimum_size = {written}").LastBackupMinimumSize.Should().Be(bytes);
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("GZIP", "gzip")]
    [InlineData("PyGzip", "pygzip")]
    [InlineData("bzip2", "bzip2")]
    [InlineData("pybzip2", "pybzip2")]
    [InlineData("pigz", "pigz")]
    [InlineData("xz", "xz")]
    [InlineData("zstd", "zstd")]
    [InlineData("lz4", "lz4")]
    [InlineData("snappy", "snappy")]
    [InlineData("custom", "custom")]
    public void Load_compression_names_are_lower_cased(string written, string expected)
    {
        _sandbox.LoadServer($"compression = {written}").Compression.Should().Be(expected);
    }

    [Theory]
    [InlineData("low", "low", null)]
    [InlineData("MEDIUM", "medium", null)]
    [InlineData("High", "high", null)]
    [InlineData("9", "9", 9)]
    [InlineData("-5", "-5", -5)]
    [InlineData("0", "0", 0)]
    public void Load_compression_levels_are_parsed(string written, string expected, int? number)
    {
        var server = _sandbox.LoadServer($"compression_level = {written}");

        server.CompressionLevel.Should().Be(expected);
        server.CompressionLevelNumber.Should().Be(number);
    }

    [Theory]
    [InlineData("encryption = gpg", "gpg")]
    [InlineData("encryption = GPG", "gpg")]
    [InlineData("encryption = none", null)]
    [InlineData("encryption = NONE", null)]
    public void Load_encryption_values_are_parsed(string line, string? expected)
    {
        _sandbox.LoadServer(line).Encryption.Should().Be(expected);
    }

    [Fact]
    public void Load_encryption_none_does_not_override_global_gpg()
    {
        _sandbox.LoadServer("encryption = none", global: "encryption = gpg").Encryption.Should().Be("gpg");
    }

    [Theory]
    [InlineData("slot_name = Barman", "barman")]
    [InlineData("slot_name = slot_1", "slot_1")]
    [InlineData("create_slot = AUTO", "auto")]
    [InlineData("backup_method = Postgres", "postgres")]
    public void Load_lower_cased_enumerations_are_parsed(string line, string expected)
    {
        var server = _sandbox.LoadServer(line + "\nstreaming_conninfo = a=b");
        var key = line[..line.IndexOf(' ', StringComparison.Ordinal)];

        server.Render(key).Should().Be(expected);
    }
}
