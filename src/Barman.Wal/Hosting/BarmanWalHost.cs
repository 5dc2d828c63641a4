using Barman.Wal.Configuration;
using Barman.Wal.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Barman.Wal.Hosting;

/// <summary>Builds the generic host for one command run: configuration loaded, logging set up, services wired.</summary>
public static class BarmanWalHost
{
    /// <summary>
    /// Loads barman.conf (throws <see cref="ConfigurationException"/> with Barman's lines), enforces
    /// <c>barman_user</c> right after the main file (<see cref="BarmanUserSwitch"/>), sets up Serilog
    /// and returns the built host. <c>switchUser</c> is true only in the tool's own process: root may then
    /// become <c>barman_user</c>. <c>readOnlyVerb</c> (get-wal): another user than root runs as themselves.
    /// </summary>
    public static IHost Build(
        RunOptions options,
        BarmanOutput output,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool switchUser = false,
        bool readOnlyVerb = false)
    {
        var configuration = BarmanConfiguration.Load(
            options.ConfigFile, environment, global => BarmanUserSwitch.Enforce(global.BarmanUser, switchUser, readOnlyVerb));
        foreach (var warning in configuration.Warnings)
            output.Warning(warning);
        var logger = BarmanLogging.Create(configuration.Global, options.LogLevel, stderr, output.Warning);
        foreach (var warning in configuration.LogWarnings)
            logger.Warning("{Warning}", warning);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddBarmanWal(configuration, output, logger);
        builder.Services.AddSingleton<IDisposable>(logger);
        return builder.Build();
    }
}
