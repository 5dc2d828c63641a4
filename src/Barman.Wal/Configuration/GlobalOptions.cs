namespace Barman.Wal.Configuration;

/// <summary>The global-only options of the <c>[barman]</c> section, with Barman's defaults.</summary>
public sealed class GlobalOptions
{
    /// <summary>Barman's default <c>log_format</c>.</summary>
    public const string DefaultLogFormat = "%(asctime)s [%(process)s] %(name)s %(levelname)s: %(message)s";

    internal GlobalOptions(IReadOnlyDictionary<string, string> raw)
    {
        Raw = raw;
    }

    /// <summary>Root of all per-server data (never <c>~</c>-expanded, as in Barman).</summary>
    public required string BarmanHome { get; init; }

    /// <summary>The user Barman must run as (default <c>barman</c>).</summary>
    public required string BarmanUser { get; init; }

    /// <summary>Directory of the lock files (default <see cref="BarmanHome"/>).</summary>
    public required string BarmanLockDirectory { get; init; }

    /// <summary>Whether <c>cron</c> removes unused lock files (default true).</summary>
    public required bool LockDirectoryCleanup { get; init; }

    /// <summary>Log file; null = log to stderr.</summary>
    public required string? LogFile { get; init; }

    /// <summary><c>log_level</c> as written (default <c>INFO</c>; an unknown value falls back to INFO).</summary>
    public required string LogLevel { get; init; }

    /// <summary>The Python logging level number <see cref="LogLevel"/> stands for (INFO = 20).</summary>
    public required int LogLevelNumber { get; init; }

    /// <summary>Python logging format of the log lines (<see cref="DefaultLogFormat"/> unless set).</summary>
    public required string LogFormat { get; init; }

    /// <summary><c>configuration_files_directory</c> as written (not <c>~</c>-expanded); null if unset.</summary>
    public required string? ConfigurationFilesDirectory { get; init; }

    /// <summary><c>config_changes_queue</c> (default <c>&lt;barman_home&gt;/cfg_changes.queue</c>).</summary>
    public required string ConfigChangesQueue { get; init; }

    /// <summary>Every <c>[barman]</c> key with its value (interpolated, quotes removed).</summary>
    public IReadOnlyDictionary<string, string> Raw { get; }
}
