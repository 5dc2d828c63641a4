using Barman.Wal.Checks;
using Barman.Wal.Output;

namespace Barman.Wal.Tests.Checks;

public sealed class CheckWriterTests
{
    private static (BarmanOutput Output, StringWriter Stdout, StringWriter Stderr) NewOutput(OutputFormat format = OutputFormat.Console, bool quiet = false, bool color = false)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (new BarmanOutput(stdout, stderr, format, quiet, debug: false, color), stdout, stderr);
    }

    [Fact]
    public void Console_writes_headers_and_results_in_barman_layout()
    {
        var (output, stdout, _) = NewOutput();
        var writer = new ConsoleCheckWriter(output);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "wal_level", true));
        writer.Add(new CheckResult("pg1", "archive_mode", false, "please set it to 'on' or 'always'"));
        writer.BeginServer("pg2", CheckServerState.Inactive);
        writer.BeginServer("pg3", CheckServerState.Disabled);
        writer.Add(new CheckResult("pg3", "configuration", false));
        writer.Detail("\t\tbad option");

        writer.Close(errorOccurred: false).Should().Be(1);
        stdout.ToString().Should().Be(
            "Server pg1:\n\twal_level: OK\n\tarchive_mode: FAILED (please set it to 'on' or 'always')\n" +
            "Server pg2 (inactive):\nServer pg3 (WARNING: disabled):\n\tconfiguration: FAILED\n\t\tbad option\n");
    }

    [Fact]
    public void Console_with_color_wraps_only_the_status_word()
    {
        ConsoleCheckWriter.Format(new CheckResult("pg1", "wal size", true, "0 B"), color: true)
            .Should().Be("\twal size: \u001b[32mOK\u001b[0m (0 B)");
        ConsoleCheckWriter.Format(new CheckResult("pg1", "PostgreSQL", false), color: true)
            .Should().Be("\tPostgreSQL: \u001b[31mFAILED\u001b[0m");
    }

    [Fact]
    public void Console_failures_of_inactive_server_only_exit_0()
    {
        var (output, _, _) = NewOutput();
        var writer = new ConsoleCheckWriter(output);
        writer.BeginServer("pg1", CheckServerState.Inactive);
        writer.Add(new CheckResult("pg1", "PostgreSQL", false));
        writer.Close(errorOccurred: false).Should().Be(0);
        writer.Close(errorOccurred: true).Should().Be(1);
    }

    [Fact]
    public void Console_quiet_prints_nothing_and_keeps_exit_status()
    {
        var (output, stdout, _) = NewOutput(quiet: true);
        var writer = new ConsoleCheckWriter(output);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "PostgreSQL", false));
        writer.Close(false).Should().Be(1);
        stdout.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Console_masks_passwords_in_hints()
    {
        ConsoleCheckWriter.Format(new CheckResult("pg1", "PostgreSQL streaming", false, "host=a password=secret user=b and postgresql://u:pw@h/db"), false)
            .Should().Be("\tPostgreSQL streaming: FAILED (host=a password=*REDACTED* user=b and postgresql://u:*REDACTED*@h/db)");
    }

    [Fact]
    public void Json_groups_results_per_server_with_normalised_keys()
    {
        var (output, stdout, _) = NewOutput(OutputFormat.Json);
        var writer = new JsonCheckWriter(output);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "receive-wal running", false, "See the Barman log file for more details"));
        writer.Add(new CheckResult("pg1", "PostgreSQL streaming (WAL streaming)", true));
        writer.Add(new CheckResult("pg1", "wal size", true, "0 B", "pg1_wals=0B"));
        writer.Close(false).Should().Be(1);
        output.Close();
        stdout.ToString().Should().Be(
            "{\"pg1\": {\"postgresql_streaming_(wal_streaming)\": {\"hint\": \"\", \"status\": \"OK\"}, " +
            "\"receive_wal_running\": {\"hint\": \"See the Barman log file for more details\", \"status\": \"FAILED\"}, " +
            "\"wal_size\": {\"hint\": \"0 B\", \"status\": \"OK\"}}}");
    }

    [Fact]
    public void Warning_is_its_own_status_word_and_keeps_exit_0()
    {
        var warning = new CheckResult("pg1", "cloud conditional writes", true, "caveat", Warning: true);
        ConsoleCheckWriter.Format(warning, color: false).Should().Be("\tcloud conditional writes: WARNING (caveat)");
        ConsoleCheckWriter.Format(warning, color: true).Should().Be("\tcloud conditional writes: \u001b[33mWARNING\u001b[0m (caveat)");

        var (output, stdout, _) = NewOutput(OutputFormat.Json);
        var json = new JsonCheckWriter(output);
        json.BeginServer("pg1", CheckServerState.Active);
        json.Add(warning);
        json.Close(false).Should().Be(0);
        output.Close();
        stdout.ToString().Should().Be("{\"pg1\": {\"cloud_conditional_writes\": {\"hint\": \"caveat\", \"status\": \"WARNING\"}}}");

        var nagios = new NagiosCheckWriter(TextWriter.Null);
        nagios.BeginServer("pg1", CheckServerState.Active);
        nagios.Add(warning);
        nagios.Render(false, out var exitCode).Should().Be("BARMAN OK - Ready to serve the Espresso backup for pg1\n");
        exitCode.Should().Be(0);
    }

    [Fact]
    public void Json_detail_lines_land_in_info()
    {
        var (output, stdout, _) = NewOutput(OutputFormat.Json);
        var writer = new JsonCheckWriter(output);
        writer.BeginServer("pg1", CheckServerState.Disabled);
        writer.Add(new CheckResult("pg1", "configuration", false));
        writer.Detail("\t\tproblem");
        output.Close();
        stdout.ToString().Should().Be("{\"_INFO\": [\"\\t\\tproblem\"], \"pg1\": {\"configuration\": {\"hint\": \"\", \"status\": \"FAILED\"}}}");
    }

    [Fact]
    public void Json_key_lowercases_and_replaces_separators()
    {
        JsonCheckWriter.Key("receive-wal running").Should().Be("receive_wal_running");
        JsonCheckWriter.Key("WAL archive").Should().Be("wal_archive");
        JsonCheckWriter.Key("a.b c").Should().Be("ab_c");
    }

    [Fact]
    public void Nagios_single_server_ok_prints_perf_data()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "wal_level", true));
        writer.Add(new CheckResult("pg1", "wal size", true, "0 B", "pg1_wals=0B"));
        writer.Render(false, out var code).Should().Be("BARMAN OK - Ready to serve the Espresso backup for pg1|pg1_wals=0B\n");
        code.Should().Be(0);
    }

    [Fact]
    public void Nagios_single_server_failures_are_critical_with_details()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "replication slot", false, "slot 'barman' not initialised: is 'receive-wal' running?"));
        writer.Add(new CheckResult("pg1", "wal size", true, "0 B", "pg1_wals=0B"));
        writer.Add(new CheckResult("pg1", "receive-wal running", false));
        writer.Render(false, out var code).Should().Be(
            "BARMAN CRITICAL - server pg1 has issues * pg1 FAILED: replication slot, receive-wal running|pg1_wals=0B\n" +
            "pg1.replication slot: FAILED (slot 'barman' not initialised: is 'receive-wal' running?)\n" +
            "pg1.receive-wal running: FAILED\n");
        code.Should().Be(2);
    }

    [Fact]
    public void Nagios_several_servers_counts_failing_ones()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "wal size", true, "0 B", "pg1_wals=0B"));
        writer.BeginServer("pg2", CheckServerState.Active);
        writer.Add(new CheckResult("pg2", "PostgreSQL", false));
        writer.Add(new CheckResult("pg2", "wal size", true, "0 B", "pg2_wals=0B"));
        writer.Render(false, out var code).Should().Be(
            "BARMAN CRITICAL - 1 server out of 2 have issues * pg2 FAILED: PostgreSQL|pg1_wals=0B pg2_wals=0B\npg2.PostgreSQL: FAILED\n");
        code.Should().Be(2);
    }

    [Fact]
    public void Nagios_inactive_failures_are_ignored()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.BeginServer("pg1", CheckServerState.Active);
        writer.Add(new CheckResult("pg1", "wal size", true, "0 B", "pg1_wals=0B"));
        writer.BeginServer("pg2", CheckServerState.Inactive);
        writer.Add(new CheckResult("pg2", "PostgreSQL", false));
        writer.Render(false, out var code).Should().Be("BARMAN OK - Ready to serve the Espresso backup for pg1 * IGNORING: pg2|pg1_wals=0B\n");
        code.Should().Be(0);
    }

    [Fact]
    public void Nagios_several_good_servers_are_listed()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.BeginServer("a", CheckServerState.Active);
        writer.BeginServer("b", CheckServerState.Active);
        writer.Render(false, out _).Should().Be("BARMAN OK - Ready to serve the Espresso backup for 2 servers * a * b\n");
    }

    [Fact]
    public void Nagios_error_without_failures_is_global_configuration_errors()
    {
        var writer = new NagiosCheckWriter(TextWriter.Null);
        writer.Render(true, out var code).Should().Be("BARMAN CRITICAL - Global configuration errors\n");
        code.Should().Be(2);
        writer.Render(false, out code).Should().Be("BARMAN OK - No server configured\n");
        code.Should().Be(0);
    }

    [Fact]
    public void Strategy_drops_results_after_close()
    {
        var (output, stdout, _) = NewOutput();
        var writer = new ConsoleCheckWriter(output);
        var strategy = new CheckStrategy("pg1", writer);
        strategy.Begin("PostgreSQL");
        strategy.Running.Should().Be("PostgreSQL");
        strategy.Close("check timeout", "barman check command timed out");
        strategy.Result("PostgreSQL", true);
        stdout.ToString().Should().Be("\tcheck timeout: FAILED (barman check command timed out)\n");
    }
}
