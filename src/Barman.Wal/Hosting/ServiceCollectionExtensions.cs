using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Hooks;
using Barman.Wal.Output;
using Microsoft.Extensions.DependencyInjection;

namespace Barman.Wal.Hosting;

/// <summary>The one place where barman-wal's services are wired.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Registers the configuration, output, logger and every command service.</summary>
    public static IServiceCollection AddBarmanWal(
        this IServiceCollection services, BarmanConfiguration configuration, BarmanOutput output, Serilog.ILogger logger)
    {
        services.AddSingleton(configuration);
        services.AddSingleton(output);
        services.AddSingleton(logger);
        services.AddSingleton(TimeProvider.System);

        services.AddKeyedSingleton<IWalStorageStrategyFactory, LocalStorageFactory>(StorageKinds.Local);
        services.AddKeyedSingleton<IWalStorageStrategyFactory, CloudStorageFactory>(StorageKinds.Cloud);
        services.AddSingleton<IWalEncryptorFactory, GpgEncryptorFactory>();
        services.AddSingleton<HookScriptsFactory>();
        services.AddSingleton<IArchiveHooksFactory>(sp => sp.GetRequiredService<HookScriptsFactory>());
        services.AddSingleton<IWalDeleteHooksFactory>(sp => sp.GetRequiredService<HookScriptsFactory>());
        services.AddSingleton<WalPipelineFactory>();
        services.AddSingleton<ServerStorageFactory>();
        services.AddSingleton<IServerArchiverFactory, ServerArchiverFactory>();
        services.AddSingleton<ArchiveWalService>();
        services.AddSingleton<Streaming.PgReceiveWalSupervisor>();
        services.AddSingleton<Streaming.ReplicationSlotManager>();
        services.AddSingleton<Streaming.ReceiveWalStopper>();
        services.AddSingleton<Streaming.ReceiveWalService>();
        services.AddSingleton<Checks.CheckService>();
        services.AddSingleton<Status.StatusService>();
        services.AddSingleton<Receiving.PutWalService>();
        services.AddSingleton<Restore.IServerRestoreFactory, ServerRestoreFactory>();
        services.AddSingleton<Restore.GetWalService>();
        services.AddSingleton<Retention.PurgeWalService>();
        services.AddSingleton<Catalog.RebuildXlogDbService>();
        services.AddSingleton<Cron.CronService>();
        services.AddSingleton<Verification.VerifyWalService>();
        return services;
    }
}
