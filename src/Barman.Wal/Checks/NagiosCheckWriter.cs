using System.Text;
using Barman.Wal.Errors;

namespace Barman.Wal.Checks;

/// <summary>
/// <c>--nagios</c>: prints nothing while checking, then one Nagios plugin status line (plus one line
/// per failure when CRITICAL) (spec: check §5.2). Exit 0 for OK, 2 for CRITICAL.
/// </summary>
public sealed class NagiosCheckWriter(TextWriter stdout) : CheckWriter
{
    /// <inheritdoc />
    public override void Detail(string line)
    {
    }

    /// <inheritdoc />
    protected override void WriteHeader(string server, CheckServerState state)
    {
    }

    /// <inheritdoc />
    protected override void WriteResult(CheckResult result)
    {
    }

    /// <inheritdoc />
    public override int Close(bool errorOccurred)
    {
        var text = Render(errorOccurred, out var exitCode);
        stdout.Write(PasswordMask.Apply(text));
        stdout.Flush();
        return exitCode;
    }

    /// <summary>The whole Nagios output and its exit code.</summary>
    public string Render(bool errorOccurred, out int exitCode)
    {
        var servers = Servers.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        var failing = servers.Where(s => Results.Any(r => r.Server == s && !r.Ok)).ToList();
        var perf = string.Join(' ', Results.Where(r => r.PerfData is not null).Select(r => r.PerfData));
        var perfText = perf.Length > 0 ? "|" + perf : "";
        var text = new StringBuilder();
        if (HasCriticalFailures)
        {
            var summary = string.Join(" * ", failing.Select(s =>
                $"{s} FAILED: {string.Join(", ", Results.Where(r => r.Server == s && !r.Ok).Select(r => r.Name))}"));
            text.Append(servers.Count == 1
                ? $"BARMAN CRITICAL - server {servers[0]} has issues * {summary}{perfText}\n"
                : $"BARMAN CRITICAL - {failing.Count} server out of {servers.Count} have issues * {summary}{perfText}\n");
            foreach (var server in failing)
            {
                foreach (var r in Results.Where(r => r.Server == server && !r.Ok))
                    text.Append($"{server}.{r.Name}: FAILED{(r.Hint.Length > 0 ? $" ({r.Hint})" : "")}\n");
            }

            exitCode = ExitCodes.NagiosCritical;
            return text.ToString();
        }

        if (errorOccurred)
        {
            exitCode = ExitCodes.NagiosCritical;
            return "BARMAN CRITICAL - Global configuration errors\n";
        }

        var ignoring = string.Concat(failing.Select(s => $" * IGNORING: {s}"));
        var good = servers.Where(s => !failing.Contains(s)).ToList();
        text.Append(good.Count switch
        {
            0 => $"BARMAN OK - No server configured{ignoring}\n",
            1 => $"BARMAN OK - Ready to serve the Espresso backup for {good[0]}{ignoring}{perfText}\n",
            _ => $"BARMAN OK - Ready to serve the Espresso backup for {good.Count} servers * {string.Join(" * ", good)}{ignoring}{perfText}\n",
        });
        exitCode = ExitCodes.Success;
        return text.ToString();
    }
}
