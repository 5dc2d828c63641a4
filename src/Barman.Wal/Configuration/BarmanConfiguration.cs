namespace Barman.Wal.Configuration;

/// <summary>
/// barman.conf read, merged, inherited and validated exactly as Barman does: the main file, the
/// <c>configuration_files_directory</c> files and <c>.barman.auto.conf</c>.
/// </summary>
public sealed class BarmanConfiguration
{
    /// <summary>Barman's default locations, in lookup order (<c>~</c> = the invoking user's home).</summary>
    public static readonly IReadOnlyList<string> DefaultLocations =
        ["~/.barman.conf", "/etc/barman.conf", "/etc/barman/barman.conf"];

    /// <summary>Environment variable naming the configuration file when <c>-c</c> is not given.</summary>
    public const string ConfigFileVariable = "BARMAN_CONFIG_FILE";

    private readonly Dictionary<string, ServerOptions> _byName;

    internal BarmanConfiguration(
        string configFilePath,
        string configFileReadPath,
        GlobalOptions global,
        IReadOnlyList<ServerOptions> servers,
        IReadOnlyList<string> models,
        IReadOnlyList<string> includedFiles,
        IReadOnlyList<string> warnings,
        IReadOnlyList<string> logWarnings,
        IReadOnlyList<string> errors)
    {
        ConfigFilePath = configFilePath;
        ConfigFileReadPath = configFileReadPath;
        Global = global;
        Servers = servers;
        ModelNames = models;
        IncludedFiles = includedFiles;
        Warnings = warnings;
        LogWarnings = logWarnings;
        Errors = errors;
        _byName = servers.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// The main file as Barman names it (<c>BARMAN_CONFIGURATION</c> of hooks): the <c>-c</c> value
    /// as typed, else <c>BARMAN_CONFIG_FILE</c> as given, else the default file found (<c>~</c> expanded).
    /// </summary>
    public string ConfigFilePath { get; }

    /// <summary>The main file actually read (<c>~</c> expanded).</summary>
    public string ConfigFileReadPath { get; }

    /// <summary>The global-only options of <c>[barman]</c>.</summary>
    public GlobalOptions Global { get; }

    /// <summary>Every server, in section order (models excluded).</summary>
    public IReadOnlyList<ServerOptions> Servers { get; }

    /// <summary>Names of the configuration model sections (3.17 <c>model = true</c>).</summary>
    public IReadOnlyList<string> ModelNames { get; }

    /// <summary>Files read after the main one, in order.</summary>
    public IReadOnlyList<string> IncludedFiles { get; }

    /// <summary>
    /// Warnings Barman prints on stderr (as <c>WARNING: &lt;text&gt;</c>) and logs while loading:
    /// unknown options and invalid values of <c>[barman]</c> and of every server, in Barman's order.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Warnings Barman only writes to its log (ignored <c>configuration_files_directory</c>,
    /// discarded include entries, unknown <c>log_level</c>).
    /// </summary>
    public IReadOnlyList<string> LogWarnings { get; }

    /// <summary>
    /// Global errors (paths shared by two servers): every server command prints each as
    /// <c>ERROR: &lt;text&gt;</c> and exits 1.
    /// </summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The server with this exact (case-sensitive) name, or null.</summary>
    public ServerOptions? FindServer(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Finds and loads the configuration: <paramref name="explicitPath"/> (<c>-c</c>), else
    /// <c>BARMAN_CONFIG_FILE</c>, else the first existing <see cref="DefaultLocations"/> entry.
    /// </summary>
    /// <param name="explicitPath">the <c>-c/--config</c> value, or null</param>
    /// <param name="environment">environment to use (<c>HOME</c>, <c>BARMAN_CONFIG_FILE</c>); null = the process's</param>
    /// <param name="afterMainFile">
    /// called once the main file is read and checked, before any other file is read (Barman switches to
    /// <c>barman_user</c> there); <c>HOME</c> is read again after it
    /// </param>
    /// <exception cref="ConfigurationException">on any error that makes Barman exit.</exception>
    public static BarmanConfiguration Load(
        string? explicitPath,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<GlobalOptions>? afterMainFile = null) =>
        ConfigurationLoader.Load(explicitPath, environment, DefaultLocations, afterMainFile);
}
