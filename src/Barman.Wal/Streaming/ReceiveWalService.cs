using System.Runtime.InteropServices;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Locking;
using Barman.Wal.Output;
using Barman.Wal.Postgres;
using Serilog;

namespace Barman.Wal.Streaming;

/// <summary>
/// The <c>receive-wal</c> command (spec: receive-wal): streaming with pg_receivewal under the receive-wal
/// lock, <c>--stop</c>, <c>--reset</c>, <c>--create-slot</c> and <c>--drop-slot</c>; returns the exit code.
/// </summary>
public sealed class ReceiveWalService(
    BarmanConfiguration configuration,
    BarmanOutput output,
    ILogger logger,
    PgReceiveWalSupervisor supervisor,
    ReplicationSlotManager slots,
    ReceiveWalStopper stopper)
{
    /// <summary>The exit status after a SIGTERM, as the shell reports a process the signal ended.</summary>
    private const int SigtermStatus = 128 + StreamingNative.SIGTERM;

    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server");

    /// <summary>Runs one receive-wal invocation.</summary>
    public async Task<int> RunAsync(ReceiveWalRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Stop && request.Reset)
        {
            output.Error("--stop and --reset options are not compatible");
            return ExitCodes.Failure;
        }

        if (request.Server == "all")
        {
            output.Error("You cannot use 'all' in a single server context");
            return ExitCodes.Failure;
        }

        if (configuration.Errors.Count > 0)
        {
            foreach (var error in configuration.Errors)
                output.Error(error);
            return ExitCodes.Failure;
        }

        var server = configuration.FindServer(request.Server);
        if (server is null)
        {
            output.Error($"Unknown server '{request.Server}'");
            return ExitCodes.Failure;
        }

        var overrides = server.GetWalConnectionOverrides();
        if (overrides.Message is not null)
            output.Info(overrides.Message);

        var mode = request.Mode;
        if (!server.Active && mode == ReceiveWalMode.Stream)
        {
            output.Info($"Skipping inactive server '{server.Name}'");
            return ExitCodes.Success;
        }

        if (server.Disabled)
        {
            output.Error(server.Messages.Count > 0 ? server.Messages[0] : $"Server '{server.Name}' is disabled");
            return ExitCodes.Failure;
        }

        foreach (var warning in server.CommandWarnings)
            output.Warning(warning);

        return mode switch
        {
            ReceiveWalMode.Stop => await stopper.StopAsync(server, cancellationToken).ConfigureAwait(false),
            ReceiveWalMode.CreateSlot => await slots.CreateAsync(server, overrides.StreamingConninfo, request.IfNotExists, cancellationToken).ConfigureAwait(false)
                ? ExitCodes.Success : ExitCodes.Failure,
            ReceiveWalMode.DropSlot => await slots.DropAsync(server, overrides.StreamingConninfo, cancellationToken).ConfigureAwait(false)
                ? ExitCodes.Success : ExitCodes.Failure,
            _ => await StreamOrTerminatedAsync(server, overrides, reset: mode == ReceiveWalMode.Reset, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Streams or resets; a SIGTERM before pg_receivewal runs ends the command silently with 143, as
    /// the default action ends Barman (SIGINT keeps the runner's KeyboardInterrupt line). A SIGTERM that
    /// <c>receive-wal --stop</c> sent (<see cref="ReceiveWalStopRequest"/>) is a clean stop: exit 0.
    /// </summary>
    private async Task<int> StreamOrTerminatedAsync(ServerOptions server, WalConnectionOverrides overrides, bool reset, CancellationToken cancellationToken)
    {
        var terminated = 0;
        int status;
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            Interlocked.Exchange(ref terminated, 1);
        }))
        {
            try
            {
                status = await StreamAsync(server, overrides, reset, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The cancellation may have completed us inline on the signal thread, inside the runner's
                // CancellationTokenSource.Cancel(): leave that thread before the runner disposes the source.
                await Task.Yield();
                if (Volatile.Read(ref terminated) != 1)
                    throw;
                status = SigtermStatus;
            }
        }

        if (status != SigtermStatus)
            return status;
        if (ProcessIdentity.Current is { } self && ReceiveWalStopRequest.Claim(server.BarmanLockDirectory, server.Name, self))
        {
            _log.Information("receive-wal for server {Server} stopped by receive-wal --stop (SIGTERM)", server.Name);
            return ExitCodes.Success;
        }

        _log.Information("receive-wal for server {Server} terminated by SIGTERM", server.Name);
        return status;
    }

    private async Task<int> StreamAsync(ServerOptions server, WalConnectionOverrides overrides, bool reset, CancellationToken cancellationToken)
    {
        if (!server.StreamingArchiver)
            throw new ReceiveWalException("Unable to start receive-wal process: streaming_archiver option set to 'off' in barman configuration file");

        var timeout = TimeSpan.FromSeconds(server.CheckTimeout);
        var archiverName = server.StreamingArchiverName ?? "barman_receive_wal";
        await using var client = await TryOpenAsync(server, overrides.Conninfo, c => PostgresClient.OpenAsync(c, timeout, "barman", cancellationToken: cancellationToken), "PostgreSQL").ConfigureAwait(false);
        await using var replication = await TryOpenAsync(server, overrides.StreamingConninfo, c => PostgresReplicationClient.OpenAsync(c, timeout, "barman", cancellationToken: cancellationToken), "streaming").ConfigureAwait(false);

        if (!await StreamingPreflight.PassesAsync(server, client, replication, _log, cancellationToken).ConfigureAwait(false))
            throw new ReceiveWalException($"Impossible to start WAL streaming. Check the log for more details, or run 'barman check {server.Name}'");

        if (!reset)
        {
            output.Info($"Starting receive-wal for server {server.Name}");
            _log.Information("Starting receive-wal for server {Server}", server.Name);
        }

        using var serverLock = ReceiveWalLock.TryAcquire(server.BarmanLockDirectory, server.Name)
            ?? throw new ReceiveWalException(reset
                ? $"Unable to reset the status of receive-wal for server {server.Name}. Process is still running"
                : $"Another receive-wal process is already running for server {server.Name}.");

        Directory.CreateDirectory(server.StreamingWalsDirectory);

        // Step 6: the replication connection (the pre-flight guarantees both connections exist).
        SystemIdentification identity;
        try
        {
            identity = await replication!.IdentifySystemAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresQueryException e)
        {
            _log.Error("IDENTIFY_SYSTEM failed for server {Server}: {Message}", server.Name, e.Message);
            throw new ArchiverFailureException($"failed opening the PostgreSQL streaming connection for server {server.Name}", e);
        }

        var serverVersionNum = replication.ServerVersionNum;
        if (serverVersionNum < 90600)
            throw new ArchiverFailureException($"failed opening the PostgreSQL streaming connection for server {server.Name}");
        var command = PgReceiveWalCommandLine.CommandName(serverVersionNum);

        // Steps 7-8: the binary and its version.
        var searchPath = PgReceiveWalCommandLine.SearchPath(server.PathPrefix, Environment.GetEnvironmentVariable("PATH"));
        var binary = await PgReceiveWalCommandLine.LocateAsync(PgReceiveWalCommandLine.CandidateDirectories(searchPath, !string.IsNullOrEmpty(server.PathPrefix)), cancellationToken).ConfigureAwait(false)
            ?? throw new ArchiverFailureException($"{command} not present in $PATH");
        var serverMajor = PgReceiveWalCommandLine.ServerMajor(serverVersionNum);
        _log.Information("Found {Binary} version {Version} (server major {Server})", binary.Path, binary.VersionText, serverMajor);
        if (!PgReceiveWalCommandLine.IsCompatible(binary.Major, serverMajor))
            throw new ArchiverFailureException($"{command} version not compatible with PostgreSQL server version");

        // Step 9: the slot.
        var exitCode = ExitCodes.Success;
        ReplicationSlotInfo? slot = null;
        if (!string.IsNullOrEmpty(server.SlotName))
        {
            if (!PgReceiveWalCommandLine.SupportsSlots(binary.Major, serverMajor))
                throw new ArchiverFailureException($"Physical replication slot not supported by {client!.ServerVersion} (9.4 or higher is required)");
            slot = await client!.GetReplicationSlotAsync(server.SlotName, cancellationToken).ConfigureAwait(false);
            if (slot is null && server.CreateSlot == "auto")
            {
                if (!reset)
                {
                    output.Info($"Creating replication slot '{server.SlotName}'");
                    if (!await slots.CreateAsync(server, overrides.StreamingConninfo, ifNotExists: false, cancellationToken).ConfigureAwait(false))
                        exitCode = ExitCodes.Failure;
                }
            }
            else if (slot is null)
            {
                throw new ArchiverFailureException(
                    $"replication slot '{server.SlotName}' doesn't exist. Please execute 'barman receive-wal --create-slot {server.Name}'");
            }
            else if (slot.Active)
            {
                throw new ArchiverFailureException($"replication slot '{server.SlotName}' is already in use");
            }
        }

        long? segmentSize = null;
        try
        {
            segmentSize = await client!.GetWalSegmentSizeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresQueryException e)
        {
            _log.Warning("Reading wal_segment_size of server {Server} failed: {Message}", server.Name, e.Message);
        }

        if (reset)
            return await ResetAsync(server, client!, identity, segmentSize ?? Xlog.WalSegmentArithmetic.DefaultSegmentSize, slot, cancellationToken).ConfigureAwait(false);

        var truncated = PartialFileTruncation.Run(server.StreamingWalsDirectory, segmentSize);
        if (truncated is not null)
        {
            output.Info(truncated);
            _log.Information("{Message}", truncated);
        }

        var synchronous = false;
        if (PgReceiveWalCommandLine.MayBeSynchronous(binary.Major, serverMajor))
        {
            try
            {
                var names = await client!.GetSynchronousStandbyNamesAsync(cancellationToken).ConfigureAwait(false);
                synchronous = PgReceiveWalCommandLine.StandbyNamesContain(names, archiverName);
            }
            catch (PostgresQueryException e)
            {
                _log.Warning("Reading synchronous_standby_names of server {Server} failed: {Message}", server.Name, e.Message);
            }
        }

        var arguments = PgReceiveWalCommandLine.BuildArguments(
            binary.Path, overrides.StreamingConninfo!, archiverName, server.StreamingWalsDirectory, server.SlotName, synchronous);

        // Step 11: close both connections before the child runs.
        await replication.DisposeAsync().ConfigureAwait(false);
        await client!.DisposeAsync().ConfigureAwait(false);

        var pathOverride = string.IsNullOrEmpty(server.PathPrefix) ? null : searchPath;
        var status = await supervisor.RunAsync(server.Name, command, arguments, pathOverride, cancellationToken).ConfigureAwait(false);
        return status != ExitCodes.Success ? status : exitCode;
    }

    private async Task<int> ResetAsync(
        ServerOptions server, PostgresClient client, SystemIdentification identity, long segmentSize, ReplicationSlotInfo? slot, CancellationToken cancellationToken)
    {
        var position = await client.GetCurrentWalPositionAsync(cancellationToken).ConfigureAwait(false);
        var (currentWal, restartWal) = ReceiveWalReset.Positions(identity.Timeline, segmentSize, position.Lsn, slot?.RestartLsn);
        var currentXlog = position.IsInRecovery ? "None" : ReceiveWalReset.CurrentXlog(identity.Timeline, segmentSize, position.Lsn);
        var directory = server.StreamingWalsDirectory;
        var plan = ReceiveWalReset.Plan(Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>(), currentWal, restartWal);
        _log.Information("receive-wal --reset for server {Server}: current {Current}, restart {Restart}, last {Last}", server.Name, currentWal, restartWal, plan.Last);
        switch (plan.Action)
        {
            case ReceiveWalResetAction.Aligned:
                output.Info("Nothing to do. Position of receive-wal is aligned.");
                return ExitCodes.Success;
            case ReceiveWalResetAction.Ahead:
                throw new ReceiveWalException($"The receive-wal position is ahead of PostgreSQL current WAL lsn ({plan.Last} > {currentXlog})");
        }

        output.Info("Resetting receive-wal directory status");
        if (plan.RemovePartial is not null)
        {
            var remove = Path.Combine(directory, plan.RemovePartial);
            output.Info($"Removing status file {remove}");
            File.Delete(remove);
        }

        var create = Path.Combine(directory, plan.CreatePartial!);
        output.Info($"Creating status file {create}");
        await File.WriteAllBytesAsync(create, [], cancellationToken).ConfigureAwait(false);
        _log.Information("Reset receive-wal directory of server {Server} to {Partial}", server.Name, create);
        return ExitCodes.Success;
    }

    private async Task<T?> TryOpenAsync<T>(ServerOptions server, string? conninfo, Func<ConnInfo, Task<T>> open, string what)
        where T : class
    {
        if (conninfo is null)
        {
            _log.Error("No {What} connection configured for server {Server}", what, server.Name);
            return null;
        }

        try
        {
            return await open(ConnInfo.Parse(conninfo)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PostgresConnectionException or ConnInfoException)
        {
            _log.Error("Cannot connect to the {What} connection of server {Server}: {Message}", what, server.Name, e.Message);
            return null;
        }
    }
}
