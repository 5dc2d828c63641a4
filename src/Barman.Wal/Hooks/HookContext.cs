namespace Barman.Wal.Hooks;

/// <summary>What every hook of one server shares: the constant part of the environment and how to run.</summary>
/// <param name="ServerName"><c>BARMAN_SERVER</c>.</param>
/// <param name="ConfigurationPath"><c>BARMAN_CONFIGURATION</c>: the main configuration file as Barman names it.</param>
/// <param name="BarmanVersion"><c>BARMAN_VERSION</c>: the Barman version barman-wal emulates.</param>
/// <param name="PathPrefix"><c>path_prefix</c>, prepended to <c>PATH</c> for the scripts; null when unset.</param>
internal sealed record HookContext(string ServerName, string ConfigurationPath, string BarmanVersion, string? PathPrefix);
