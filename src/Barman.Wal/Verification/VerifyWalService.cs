using System.Globalization;
using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Serilog;

namespace Barman.Wal.Verification;

/// <summary>
/// <c>verify-wal SERVER...|all</c>: proves each archive restorable without restoring a database and
/// reports one line per problem and a summary (or JSON). Exit 0 clean, <see cref="ExitCodes.ProblemsFound"/>
/// when a problem was found, <see cref="ExitCodes.Failure"/> when an archive could not be verified.
/// </summary>
public sealed class VerifyWalService(
    BarmanConfiguration configuration,
    BarmanOutput output,
    ServerStorageFactory storages,
    ILogger logger)
{
    /// <summary>Verifies the servers of <paramref name="request"/>; returns the exit code.</summary>
    public async Task<int> RunAsync(VerifyWalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selection = ServerSelection.Resolve(configuration, request.Servers, output);
        var exitCode = selection.ExitCode;
        var interactive = !output.IsQuiet && output.Format == OutputFormat.Console && !Console.IsErrorRedirected;
        var progress = new VerifyProgress(interactive ? Console.Error : null);
        var problemsFound = false;
        foreach (var server in selection.Servers)
        {
            var result = await VerifyAsync(server, request, progress, cancellationToken).ConfigureAwait(false);
            Report(result);
            if (result.Error is not null)
                exitCode = ExitCodes.Failure;
            problemsFound |= result.Problems.Count > 0;
        }

        return problemsFound ? ExitCodes.ProblemsFound : exitCode;
    }

    private async Task<ServerVerification> VerifyAsync(
        ServerOptions server, VerifyWalRequest request, VerifyProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            var reader = storages.CreateReader(server);
            var verifier = new ServerVerifier(server, reader.Strategy, reader.Decoder, reader.CanDecrypt, output.Warning);
            return await verifier.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            progress.End();
            var message = ExceptionText.Of(e is VerificationImpossibleException { InnerException: { } inner } && e.Message.Length == 0 ? inner : e);
            logger.Error(e, "verify-wal: cannot verify server {Server}: {Message}", server.Name, message);
            return ServerVerification.Failed(server.Name, message);
        }
    }

    private void Report(ServerVerification result)
    {
        if (output.Format == OutputFormat.Json)
        {
            output.SetJsonMember(result.Server, VerifyReport.ToJson(result));
            if (result.Error is not null)
                output.Error($"{result.Server}: cannot verify the archive: {result.Error}");
            return;
        }

        if (result.Error is not null)
        {
            output.Error($"{result.Server}: cannot verify the archive: {result.Error}");
            return;
        }

        foreach (var problem in result.Problems)
            output.Info(VerifyReport.Line(result.Server, problem));
        output.Info(VerifyReport.Summary(result));
        foreach (var problem in result.Problems)
            logger.Warning("verify-wal {Server}: {Kind} {Name}: {Message}", result.Server, problem.KindName, problem.Name, problem.Message);
        logger.Information("{Summary}", VerifyReport.Summary(result));
    }
}
