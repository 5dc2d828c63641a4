using Barman.Wal.Errors;
using Barman.Wal.Output;

namespace Barman.Wal.Checks;

/// <summary>The default format: <c>Server pg1:</c> then <c>\tname: OK (hint)</c> lines (<c>WARNING</c> for barman-wal's caveats) (spec: check §5.1).</summary>
public sealed class ConsoleCheckWriter(BarmanOutput output) : CheckWriter
{
    /// <inheritdoc />
    public override void Detail(string line) => output.Info(PasswordMask.Apply(line));

    /// <inheritdoc />
    public override int Close(bool errorOccurred) =>
        errorOccurred || HasCriticalFailures ? ExitCodes.Failure : ExitCodes.Success;

    /// <inheritdoc />
    protected override void WriteHeader(string server, CheckServerState state) => output.Info(state switch
    {
        CheckServerState.Inactive => $"Server {server} (inactive):",
        CheckServerState.Disabled => $"Server {server} (WARNING: disabled):",
        _ => $"Server {server}:",
    });

    /// <inheritdoc />
    protected override void WriteResult(CheckResult result) => output.Info(Format(result, output.UsesColor));

    /// <summary>The console line of a result, e.g. <c>\twal_level: OK</c>.</summary>
    public static string Format(CheckResult result, bool color)
    {
        ArgumentNullException.ThrowIfNull(result);
        var word = result.Status;
        if (color)
            word = (!result.Ok ? "\u001b[31m" : result.Warning ? "\u001b[33m" : "\u001b[32m") + word + "\u001b[0m";
        var line = $"\t{result.Name}: {word}";
        if (result.Hint.Length > 0)
            line += $" ({result.Hint})";
        return PasswordMask.Apply(line);
    }
}
