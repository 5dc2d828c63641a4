using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Output;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Restore;

/// <summary>
/// The <c>get-wal</c> command (spec: get-wal §1–5): finds a WAL file in Barman's order, sends it to stdout or
/// <c>-o DIR</c> converted as asked, or lists names (<c>--peek</c>); plus barman-wal's prefetch.
/// </summary>
public sealed class GetWalService(
    BarmanConfiguration configuration,
    IServerRestoreFactory restores,
    BarmanOutput output,
    ILogger logger)
{
    private readonly ILogger _serverLog = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server");

    /// <summary>Runs one get-wal call; returns the exit code.</summary>
    public async Task<int> RunAsync(GetWalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Resolve(request.Server) is not { } server)
            return ExitCodes.Failure;
        if (request.Test)
        {
            output.Info($"Ready to retrieve WAL files from the server {server.Name}");
            return ExitCodes.Success;
        }

        if (request.OutputCompression is { } compression && request.KeepCompression)
        {
            output.Error($"argument `{compression}` not allowed with argument `keep-compression`");
            return ExitCodes.Failure;
        }

        var ssh = SshSuffix(request.SshConnection);
        if (!WalName.TryParse(request.WalName, out var name))
            throw new GetWalException($"'{request.WalName}' is not a valid wal file name{ssh}", GetWalExitCodes.BadRequest);

        var archive = restores.Create(server);
        try
        {
            if (request.Peek is { } peek)
                return await PeekAsync(new WalLocator(archive), name, peek, cancellationToken).ConfigureAwait(false);
            if (request.PrefetchWorker)
                return await RunWorkerAsync(archive, request, name, cancellationToken).ConfigureAwait(false);
            return await DeliverAsync(archive, request, name, ssh, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (archive.IsCloud && IsCloudFailure(e))
        {
            // barman-cloud-wal-restore's exit 4: PostgreSQL takes it as "not available now", never aborts recovery
            _serverLog.Error(e, "{Message}", ExceptionText.Of(e));
            throw new GetWalException($"Barman cloud WAL restore exception: {ExceptionText.Of(e)}", GetWalExitCodes.CloudFailure, e);
        }
    }

    private ServerOptions? Resolve(string serverName)
    {
        foreach (var error in configuration.Errors)
            output.Error(error);
        if (configuration.Errors.Count > 0)
            return null;
        if (serverName == "all")
        {
            output.Error("You cannot use 'all' in a single server context");
            return null;
        }

        var server = configuration.FindServer(serverName);
        if (server is null)
        {
            output.Error($"Unknown server '{serverName}'");
            return null;
        }

        if (server.Disabled)
        {
            output.Error(server.Messages.Count > 0 ? server.Messages[0] : $"Server '{server.Name}' is disabled");
            return null;
        }

        return server;
    }

    private async Task<int> DeliverAsync(RestoreArchive archive, GetWalRequest request, WalName name, string ssh, CancellationToken cancellationToken)
    {
        var server = archive.Server.Name;
        var path = request.OutputDirectory is { } directory ? Path.Combine(directory, request.WalName) : null;
        RestoreOutput destination;
        try
        {
            destination = path is null ? RestoreOutput.ToStandardOutput(request.OpenStandardOutput) : RestoreOutput.ToFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var cause = e switch
            {
                DirectoryNotFoundException => $"[Errno 2] No such file or directory: '{path}'",
                UnauthorizedAccessException => $"[Errno 13] Permission denied: '{path}'",
                _ => e.Message,
            };
            throw new GetWalException($"Unable to open '{path}' file: {cause}{ssh}", GetWalExitCodes.BadRequest, e);
        }

        await using (destination.ConfigureAwait(false))
        {
            var locator = new WalLocator(archive);
            var prefetcher = Prefetcher(archive, request, name);
            if (prefetcher is not null && await prefetcher.TryDeliverAsync(name, destination, locator, cancellationToken).ConfigureAwait(false))
            {
                Sent(name.Name, server, path, ssh);
                _serverLog.Debug("WAL {Name} delivered from the prefetch spool", name.Name);
                prefetcher.Delivered(name);
                prefetcher.LaunchIfNeeded(name, request.Prefetch, 0, request.SelfCommand);
                return ExitCodes.Success;
            }

            await foreach (var candidate in locator.CandidatesAsync(name.Name, request.Partial, cancellationToken).ConfigureAwait(false))
            {
                RestoredWal restored;
                try
                {
                    restored = await new WalRestorer(archive)
                        .RestoreAsync(candidate, name, request.OutputCompression, request.KeepCompression, destination.Stream, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    _serverLog.Information("Skipping vanished WAL file '{Path}'{Ssh}", candidate.Location, ssh);
                    destination.Stream.SetLength(0);
                    continue;
                }

                await destination.CommitAsync(cancellationToken).ConfigureAwait(false);
                Sent(candidate.Name, server, path, ssh);
                prefetcher?.Delivered(name);
                prefetcher?.LaunchIfNeeded(name, request.Prefetch, restored.SegmentSize ?? 0, request.SelfCommand);
                return ExitCodes.Success;
            }
        }

        var message = $"WAL file '{name.Name}' not found in server '{server}'{ssh}";
        output.Error(message);
        _serverLog.Error("{Message}", message);
        return ExitCodes.Failure;
    }

    private void Sent(string found, string server, string? path, string ssh)
    {
        if (path is null)
        {
            _serverLog.Information("Sending WAL '{Name}' for server '{Server}' to standard output{Ssh}", found, server, ssh);
            return;
        }

        var line = $"Sending WAL '{found}' for server '{server}' into '{path}' file{ssh}";
        output.Info(line);
        _serverLog.Information("{Message}", line);
    }

    private WalPrefetcher? Prefetcher(RestoreArchive archive, GetWalRequest request, WalName name)
    {
        if (request.Prefetch <= 0 || name.Kind != WalFileKind.Segment || request.OutputCompression is not null || request.KeepCompression)
            return null;
        var spool = PrefetchSpool.TryOpen(request.SpoolDirectory ?? PrefetchSpool.DefaultDirectory(archive.Server.Name), out var problem);
        if (spool is null)
        {
            output.Warning(problem!);
            return null;
        }

        return new WalPrefetcher(archive, spool, _serverLog);
    }

    private async Task<int> RunWorkerAsync(RestoreArchive archive, GetWalRequest request, WalName name, CancellationToken cancellationToken)
    {
        if (Prefetcher(archive, request, name) is not { } prefetcher)
            return ExitCodes.Failure;
        await prefetcher.FetchAsync(name, request.Prefetch, request.SegmentSize, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Barman's peek (spec: get-wal §5): names from the request on, same timeline, power-of-two log jumps.</summary>
    private async Task<int> PeekAsync(WalLocator locator, WalName name, int count, CancellationToken cancellationToken)
    {
        if (name.Kind != WalFileKind.Segment)
        {
            if (await locator.ExistsAnywhereAsync(name.Name, cancellationToken).ConfigureAwait(false))
                output.Info(name.Name);
            return ExitCodes.Success;
        }

        var (log, segment) = (name.Log, name.Segment);
        for (var listed = 0; listed < count;)
        {
            var current = WalName.Encode(name.Timeline, log, segment);
            if (await locator.ExistsAnywhereAsync(current, cancellationToken).ConfigureAwait(false))
            {
                output.Info(current);
                listed++;
                if (segment == uint.MaxValue)
                    break;
                segment++;
            }
            else if (segment != 0 && uint.IsPow2(segment) && log < uint.MaxValue)
            {
                (log, segment) = (log + 1, 0);
            }
            else
            {
                break;
            }
        }

        return ExitCodes.Success;
    }

    private static string SshSuffix(string? sshConnection) =>
        string.IsNullOrWhiteSpace(sshConnection) ? string.Empty : $" (SSH host: {sshConnection.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]})";

    private static bool IsCloudFailure(Exception e) =>
        e is CloudStorageException or HttpRequestException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException
        || (e is IOException && e is not FileNotFoundException and not DirectoryNotFoundException);
}
