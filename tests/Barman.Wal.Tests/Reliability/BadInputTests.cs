using System.Text.RegularExpressions;
using Barman.Wal.Cli;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// 200+ bad inputs (BadInputCases) through the real command-line parser, in-process, and a handful
/// through the built tool: no stack trace, no exception type name, the documented exit code, a message
/// when it fails, and no source file lost.
/// </summary>
public sealed partial class BadInputTests
{
    private static readonly string[] InternalErrorTexts =
        ["Object reference not set", "Index was outside", "out of the range of valid values", "Value cannot be null", "Sequence contains", "unexpected error"];

    public static TheoryData<string> Labels()
    {
        var data = new TheoryData<string>();
        foreach (var input in BadInputCases.All)
            data.Add(input.Label);
        return data;
    }

    [Fact]
    public void Table_has_at_least_200_distinct_cases()
    {
        BadInputCases.All.Should().HaveCountGreaterThanOrEqualTo(200);
        BadInputCases.All.Select(c => c.Label).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [MemberData(nameof(Labels))]
    public async Task RunAsync_bad_input_fails_cleanly_and_loses_nothing(string label)
    {
        var input = BadInputCases.All.Single(c => c.Label == label);
        using var sandbox = new BadInputSandbox();
        input.Setup(sandbox);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await BarmanWalCli.RunAsync(input.Args(sandbox), stdout, stderr);

        Check(input, exit, stdout.ToString(), stderr.ToString(), sandbox);
    }

    [Theory]
    [InlineData("cli: unknown option")]
    [InlineData("cli: -f xml")]
    [InlineData("config: missing file")]
    [InlineData("config: unterminated section header")]
    [InlineData("compressed: 000000010000000000000004.gz truncated to half")]
    [InlineData("incoming name: new\\nline")]
    [InlineData("cli: -c given twice")]
    [InlineData("config: NUL bytes in a path")]
    [InlineData("entry: fifo named as a segment")]
    public async Task Process_bad_input_fails_cleanly_and_loses_nothing(string label)
    {
        var input = BadInputCases.All.Single(c => c.Label == label);
        using var sandbox = new BadInputSandbox();
        input.Setup(sandbox);
        sandbox.User?.Own(sandbox.Root);

        var result = await ToolRunner.RunAsync(input.Args(sandbox), runAs: sandbox.User);

        result.TimedOut.Should().BeFalse();
        Check(input, result.ExitCode, result.Stdout, result.Stderr, sandbox);
    }

    private static void Check(BadInput input, int exit, string stdout, string stderr, BadInputSandbox sandbox)
    {
        var all = stdout + stderr;
        var because = $"{input.Label}\n--- stdout ---\n{Cut(stdout)}\n--- stderr ---\n{Cut(stderr)}";
        exit.Should().Be(input.Exit, because);
        all.Split('\n').Should().NotContain(l => l.StartsWith("   at ", StringComparison.Ordinal), because);
        ExceptionTypeName().IsMatch(all).Should().BeFalse(because);
        InternalErrorTexts.Should().NotContain(t => all.Contains(t, StringComparison.OrdinalIgnoreCase), because);
        if (exit != 0)
            all.Should().NotBeEmpty(because); // on stderr, or in the JSON object with -f json
        sandbox.Lost().Should().BeEmpty(because);
        if (input.Corrupt)
        {
            stdout.Should().Contain($"\tError: {BadInputSandbox.Segment} was not archived: ", because);
            Directory.GetFiles(sandbox.Errors).Should().ContainSingle(f => f.EndsWith(".corrupt", StringComparison.Ordinal), because);
        }
    }

    private static string Cut(string text) => text.Length > 2000 ? text[..2000] + "..." : text;

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b")]
    private static partial Regex ExceptionTypeName();
}
