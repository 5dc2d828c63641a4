using Barman.Wal.Output;

namespace Barman.Wal.Tests.Output;

public sealed class BarmanOutputTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    [Fact]
    public void Console_lines_go_to_their_streams_with_barman_prefixes()
    {
        var output = new BarmanOutput(_out, _err, OutputFormat.Console, quiet: false, debug: false);
        output.Info("hello");
        output.Warning("careful");
        output.Error("broken");
        output.Exception("gpg not in PATH");
        output.Debug("hidden");
        output.Close();
        _out.ToString().Should().Be("hello\n");
        _err.ToString().Should().Be("WARNING: careful\nERROR: broken\nEXCEPTION: gpg not in PATH\nSee log file for more details.\n");
        output.ErrorOccurred.Should().BeTrue();
    }

    [Fact]
    public void Quiet_suppresses_only_stdout()
    {
        var output = new BarmanOutput(_out, _err, OutputFormat.Console, quiet: true, debug: true);
        output.Info("hello");
        output.Warning("careful");
        output.Debug("detail");
        _out.ToString().Should().BeEmpty();
        _err.ToString().Should().Be("WARNING: careful\nDEBUG: detail\n");
    }

    [Fact]
    public void Color_wraps_the_whole_line()
    {
        var output = new BarmanOutput(_out, _err, OutputFormat.Console, quiet: false, debug: false, color: true);
        output.Error("Unknown server 'x'");
        _err.ToString().Should().Be("\u001b[31mERROR: Unknown server 'x'\u001b[0m\n");
    }

    [Fact]
    public void Json_collects_and_prints_one_python_style_object_at_close()
    {
        var output = new BarmanOutput(_out, _err, OutputFormat.Json, quiet: false, debug: false);
        output.Info("Processing xlog segments from streaming for pg1");
        output.Info("\tno file found");
        output.Error("Unknown server 'é'");
        _out.ToString().Should().BeEmpty();
        output.Close();
        _out.ToString().Should().Be(
            "{\"_ERROR\": [\"Unknown server '\\u00e9'\"], \"_INFO\": [\"Processing xlog segments from streaming for pg1\", \"\\tno file found\"]}");
        _err.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Released_stdout_writes_no_json_object()
    {
        var output = new BarmanOutput(_out, _err, OutputFormat.Json, quiet: false, debug: false);
        output.ReleaseStdout();
        output.Close();
        _out.ToString().Should().BeEmpty();
    }
}
