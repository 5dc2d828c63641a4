using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Barman.Wal.Catalog;
using Serilog;

namespace Barman.Wal.Hooks;

/// <summary>
/// Runs hook scripts as Barman does (spec: hooks-encryption §2–4): <c>/bin/sh -c</c>, the process environment
/// plus the <c>BARMAN_*</c> variables, stdin empty, output captured and logged, no timeout; retry scripts are
/// run again until they answer 0, 62 or 63.
/// </summary>
internal sealed class HookRunner(HookContext context, ILogger logger, TimeProvider clock)
{
    /// <summary>Wait after each of the first five consecutive failures of a retry script.</summary>
    internal static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(3);

    /// <summary>Wait after the sixth consecutive failure; the count then restarts.</summary>
    internal static readonly TimeSpan LongWait = TimeSpan.FromSeconds(60);

    private const int FailuresBeforeNap = 5;
    private readonly ILogger _hooks = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.hooks");
    private readonly ILogger _command = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Command");

    public HookContext Context { get; } = context;

    /// <summary>
    /// Runs <paramref name="script"/> once (normal) or until it answers 0/62/63 (retry); returns the last
    /// status, null when the script could not be started.
    /// </summary>
    public async Task<int?> RunAsync(HookScript script, WalFileInfo wal, string file, string? error, CancellationToken cancellationToken)
    {
        var environment = Environment(script, wal, file, error);
        if (!script.IsRetry)
            return await RunOnceAsync(script, environment, cancellationToken).ConfigureAwait(false);

        var failures = 0;
        while (true)
        {
            var status = await RunOnceAsync(script, environment, cancellationToken).ConfigureAwait(false);
            if (status is HookExitCodes.Success or HookExitCodes.AbortContinue or HookExitCodes.AbortStop)
            {
                if (status == HookExitCodes.AbortContinue)
                    _hooks.Warning("{Command} was aborted (got exit status {Status}, Barman resumes)", script.Command, status);
                else if (status == HookExitCodes.AbortStop)
                    _hooks.Error("{Command} was aborted (got exit status {Status}, Barman requested to stop)", script.Command, status);
                return status;
            }

            failures++;
            TimeSpan wait;
            if (failures > FailuresBeforeNap)
            {
                _hooks.Debug("Reached {Failures} failures. Take a nap then retry again in {Seconds} seconds", FailuresBeforeNap, (int)LongWait.TotalSeconds);
                wait = LongWait;
                failures = 0;
            }
            else
            {
                _hooks.Debug("Retry again in {Seconds} seconds", (int)ShortWait.TotalSeconds);
                wait = ShortWait;
            }

            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The variables of spec §3 for one hook run, on top of the process environment.</summary>
    internal Dictionary<string, string> Environment(HookScript script, WalFileInfo wal, string file, string? error) => new(StringComparer.Ordinal)
    {
        ["BARMAN_VERSION"] = Context.BarmanVersion,
        ["BARMAN_SERVER"] = Context.ServerName,
        ["BARMAN_CONFIGURATION"] = Context.ConfigurationPath,
        ["BARMAN_HOOK"] = script.HookName,
        ["BARMAN_RETRY"] = script.IsRetry ? "1" : "0",
        ["BARMAN_PHASE"] = script.Phase,
        ["BARMAN_ERROR"] = error ?? string.Empty,
        ["BARMAN_SEGMENT"] = wal.Name,
        ["BARMAN_FILE"] = file,
        ["BARMAN_SIZE"] = wal.Size.ToString(CultureInfo.InvariantCulture),
        ["BARMAN_TIMESTAMP"] = PythonFloat.Format(wal.Time),
        ["BARMAN_COMPRESSION"] = wal.Compression ?? string.Empty,
    };

    private async Task<int?> RunOnceAsync(HookScript script, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        _hooks.Debug("Attempt to run {Hook}: {Command}", script.HookName, script.Command);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script.Command);
        foreach (var (name, value) in variables)
            start.Environment[name] = value;
        if (!string.IsNullOrEmpty(Context.PathPrefix))
            start.Environment["PATH"] = Context.PathPrefix + ":" + (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            _hooks.Error(e, "Exception running {Hook}", script.HookName);
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            var status = process.ExitCode;
            foreach (var line in Lines(output))
                _command.Debug("{Line}", line);
            foreach (var line in Lines(errors))
                _command.Warning("{Line}", line);
            _command.Debug("Command return code: {Status}", status);
            _command.Debug("Command stdout: {Stdout}", output);
            _command.Debug("Command stderr: {Stderr}", errors);
            if (status == 0)
                _hooks.Debug("{Command} returned {Status}", script.Command, status);
            else
                _hooks.Warning("{Command} returned {Status}\nOutput details:\n{Details}", script.Command, status, output + errors);
            return status;
        }
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
