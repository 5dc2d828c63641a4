namespace Barman.Wal.Tests.Infrastructure;

public sealed class ToolRunnerTests
{
    [Fact]
    public async Task RunAsync_built_cli_runs_and_exits_0()
    {
        File.Exists(ToolRunner.ToolAssembly).Should().BeTrue();

        var result = await ToolRunner.RunAsync(["--version"]);

        result.TimedOut.Should().BeFalse();
        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public async Task ProcessRunner_timeout_kills_process_and_reports_it()
    {
        var started = DateTime.UtcNow;

        var result = await ProcessRunner.RunAsync("sleep", ["30"], timeout: TimeSpan.FromMilliseconds(300));

        result.TimedOut.Should().BeTrue();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProcessRunner_passes_arguments_environment_and_stdin()
    {
        var result = await ProcessRunner.RunAsync(
            "bash", ["-c", "printf '%s|%s|' \"$1\" \"$GREETING\"; cat; echo err >&2; exit 3", "bash", "a b"],
            environment: new Dictionary<string, string?> { ["GREETING"] = "hi" }, stdin: "input");

        result.ExitCode.Should().Be(3);
        result.Stdout.Should().Be("a b|hi|input");
        result.StderrLines.Should().Equal("err");
    }
}
