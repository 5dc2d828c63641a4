using System.CommandLine;
using System.Runtime.InteropServices;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Cli;

/// <summary>
/// Runs one verb: builds the host, calls the verb's core service, and turns every failure into Barman's
/// line and exit code — the only place that does so. No stack trace for user errors.
/// <paramref name="ownsProcess"/>: the tool's own process, where root switches to <c>barman_user</c>.
/// </summary>
internal sealed class CommandRunner(TextWriter stdout, TextWriter stderr, bool ownsProcess)
{
    public async Task<int> RunAsync(
        ParseResult result, Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken token, bool readOnlyVerb = false)
    {
        var options = GlobalOptions.Read(result);
        var output = new BarmanOutput(stdout, stderr, options.Format, options.Quiet, options.Debug, UseColor(options.Color));
        using var interrupt = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt.Token);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Interrupt(ctx, interrupt));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Interrupt(ctx, interrupt));
        try
        {
            using var host = BarmanWalHost.Build(options, output, stderr, switchUser: ownsProcess, readOnlyVerb: readOnlyVerb);
            try
            {
                return await body(host.Services, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not BarmanWalException)
            {
                var logger = host.Services.GetRequiredService<Serilog.ILogger>();
                logger.Error(e, "{Message}", ExceptionText.Of(e));
                output.Exception(ExceptionText.Of(e));
                if (options.Debug)
                    stderr.WriteLine(e.ToString());
                return ExitCodes.Failure;
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            output.Error("Process interrupted by user (KeyboardInterrupt)");
            return ExitCodes.Failure;
        }
        catch (ConfigurationException e)
        {
            foreach (var line in e.StderrLines.Count > 0 ? e.StderrLines : [e.Message])
                stderr.Write(line + "\n");
            return e.ExitCode;
        }
        catch (BarmanWalException e)
        {
            output.Error(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // before the host exists (e.g. a NUL byte in a configured path): one line, never a trace
            output.Exception(ExceptionText.Of(e));
            if (options.Debug)
                stderr.WriteLine(e.ToString());
            return ExitCodes.Failure;
        }
        finally
        {
            output.Close();
        }
    }

    /// <summary>A signal cancels the run; one arriving while the run is being torn down is ignored.</summary>
    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupt)
    {
        context.Cancel = true;
        try
        {
            interrupt.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static bool UseColor(string mode) => mode switch
    {
        "always" => true,
        "never" => false,
        _ => !Console.IsOutputRedirected && !Console.IsErrorRedirected,
    };
}
