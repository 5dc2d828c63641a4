using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Output;

namespace Barman.Wal.Archiving;

/// <summary>
/// Turns the command line's server names (or <c>all</c>) into the servers to run, printing Barman's lines
/// for unknown, inactive and disabled servers (spec: archive-wal §1.1).
/// </summary>
public sealed record ServerSelection(IReadOnlyList<ServerOptions> Servers, int ExitCode)
{
    /// <summary>Resolves <paramref name="names"/>; <c>all</c> means every configured server in name order.</summary>
    public static ServerSelection Resolve(BarmanConfiguration configuration, IReadOnlyList<string> names, BarmanOutput output)
    {
        var exitCode = ExitCodes.Success;
        foreach (var error in configuration.Errors)
        {
            output.Error(error);
            exitCode = ExitCodes.Failure;
        }

        if (exitCode != ExitCodes.Success)
            return new ServerSelection([], exitCode);

        var all = names.Count == 1 && names[0] == "all";
        List<ServerOptions?> requested = all
            ? [.. configuration.Servers.OrderBy(s => s.Name, StringComparer.Ordinal)]
            : [.. names.Select(configuration.FindServer)];

        var selected = new List<ServerOptions>();
        for (var i = 0; i < requested.Count; i++)
        {
            var server = requested[i];
            if (server is null)
            {
                output.Error($"Unknown server '{names[i]}'");
                exitCode = ExitCodes.Failure;
                continue;
            }

            if (!server.Active)
            {
                if (!all)
                    output.Info($"Skipping inactive server '{server.Name}'");
                continue;
            }

            if (server.Disabled)
            {
                output.Error(server.Messages.Count > 0 ? server.Messages[0] : $"Server '{server.Name}' is disabled");
                exitCode = ExitCodes.Failure;
                continue;
            }

            foreach (var warning in server.CommandWarnings)
                output.Warning(warning);
            selected.Add(server);
        }

        return new ServerSelection(selected, exitCode);
    }
}
