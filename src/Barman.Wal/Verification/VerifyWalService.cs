using System.Globalization;
using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Errors;
using Barman.Wal.Hosting;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Microsoft.Extensions.DependencyInjection;
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
    IServiceProvider services,
    WalPipelineFactory pipelines,
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
            var kind = server.UsesCloudWalStorage ? StorageKinds.Cloud : StorageKinds.Local;
            var pipeline = pipelines.Create(server);
            var storage = services.GetRequiredKeyedService<IWalStorageStrategyFactory>(kind).Create(server, pipeline);
            var decryptor = server.EncryptionPassphraseCommand is { Length: > 0 } command
                ? new GpgDecryptor(command, server.PathPrefix, logger)
                : null;
            var verifier = new ServerVerifier(server, storage, new StoredWalDecoder(pipeline.Reader, decryptor), decryptor is not null, output.Warning);
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
