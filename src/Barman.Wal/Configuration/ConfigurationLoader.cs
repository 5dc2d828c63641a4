using System.Globalization;

namespace Barman.Wal.Configuration;

/// <summary>The steps of Barman's configuration load, in Barman's order.</summary>
internal static class ConfigurationLoader
{
    private static readonly Dictionary<string, int> PythonLevels = new(StringComparer.Ordinal)
    {
        ["CRITICAL"] = 50,
        ["FATAL"] = 50,
        ["ERROR"] = 40,
        ["WARNING"] = 30,
        ["WARN"] = 30,
        ["INFO"] = 20,
        ["DEBUG"] = 10,
        ["NOTSET"] = 0,
    };

    public static BarmanConfiguration Load(
        string? explicitPath,
        IReadOnlyDictionary<string, string?>? environment,
        IReadOnlyList<string> defaultLocations,
        Action<GlobalOptions>? afterMainFile = null)
    {
        var home = Env(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var (shownPath, readPath) = Locate(explicitPath, environment, defaultLocations, home);
        var warnings = new List<string>();
        var logWarnings = new List<string>();
        var included = new List<string>();

        // 1. the main file: parse, interpolation, [barman], lock_directory_cleanup
        var merged = new MergedConfig();
        merged.Merge(IniFile.Load(readPath, readPath));
        if (!merged.HasSection("barman"))
        {
            throw new ConfigurationException(
                $"{readPath}: no [barman] section",
                ["EXCEPTION: No section: 'barman'", "See log file for more details."]);
        }

        var globalSnapshot = merged.Items("barman");
        var global = ReadGlobal(merged, readPath, logWarnings);
        if (afterMainFile is not null)
        {
            // Barman switches to barman_user here; "~" below is then that user's home
            afterMainFile(global);
            home = Env(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        // 2. configuration_files_directory, then .barman.auto.conf
        var includeDir = merged.Get("barman", "configuration_files_directory");
        if (!string.IsNullOrEmpty(includeDir))
        {
            var expanded = PosixPaths.ExpandUser(includeDir, home);
            if (!Directory.Exists(expanded))
            {
                logWarnings.Add(
                    $"Ignoring the \"configuration_files_directory\" option as \"{includeDir}\" is not a directory");
            }
            else
            {
                var entries = Directory.EnumerateFileSystemEntries(expanded)
                    .Where(p => MatchesConfGlob(Path.GetFileName(p)))
                    .Select(p => Path.Combine(expanded, Path.GetFileName(p)))
                    .Order(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    LoadIncluded(merged, entry, globalSnapshot, included, logWarnings);
                }
            }
        }

        if (global.BarmanHome.Length > 0)
        {
            var auto = PosixPaths.ExpandUser(global.BarmanHome + "/.barman.auto.conf", home);
            if (PathKindOf(auto) == EntryKind.File)
            {
                LoadIncluded(merged, auto, globalSnapshot, included, logWarnings);
            }
        }

        // 3. validate [barman]
        if (!globalSnapshot.ContainsKey("barman_home") || global.BarmanHome.Length == 0)
        {
            throw new ConfigurationException(
                $"{readPath}: [barman] barman_home: required parameter is missing",
                [
                    "ERROR: Parameter \"barman_home\" is required in [barman] section.",
                    "Your configuration is missing required parameters. Exiting.",
                ]);
        }

        foreach (var key in globalSnapshot.Keys)
        {
            if (!OptionCatalog.IsGlobalOption(key))
            {
                warnings.Add($"Invalid configuration option \"{key}\" in [barman] section.");
            }
        }

        // 4. servers and models, in section order
        var builder = new ServerOptionsBuilder(merged, global, warnings);
        var servers = new List<ServerOptions>();
        var models = new Dictionary<string, ConfigurationModel>(StringComparer.Ordinal);
        foreach (var section in merged.Sections.Keys)
        {
            if (section == "barman")
            {
                continue;
            }

            if (section == "all")
            {
                throw new ConfigurationException(
                    $"{merged.SourceFile(section, merged.Sections[section].Keys.FirstOrDefault() ?? string.Empty) ?? readPath}: "
                    + "[all]: 'all' is reserved and cannot be a server name",
                    ["FATAL: the reserved word 'all' is not allowed as server name.Please rename it."]);
            }

            if (builder.IsModel(section))
            {
                models[section] = builder.BuildModel(section);
            }
            else
            {
                servers.Add(builder.BuildServer(section));
            }
        }

        var errors = ServerOptionsBuilder.CheckConflictingPaths(servers);
        foreach (var server in servers)
        {
            ServerOptionsBuilder.ApplyActiveModel(server, models);
        }

        foreach (var server in servers)
        {
            ServerOptionsBuilder.CheckServer(server);
        }

        return new BarmanConfiguration(
            shownPath, readPath, global, servers, models.Keys.ToList(), included, warnings, logWarnings, errors);
    }

    private static (string Shown, string Read) Locate(
        string? explicitPath, IReadOnlyDictionary<string, string?>? environment, IReadOnlyList<string> defaults, string? home)
    {
        var given = !string.IsNullOrEmpty(explicitPath) ? explicitPath : Env(environment, BarmanConfiguration.ConfigFileVariable);
        if (!string.IsNullOrEmpty(given))
        {
            // Barman tests the literal text, then reads the ~-expanded one
            if (PathKindOf(given) == EntryKind.Missing)
            {
                throw new ConfigurationException(
                    $"Configuration file '{given}' does not exist", [$"Configuration file '{given}' does not exist"]);
            }

            return (given, PosixPaths.ExpandUser(given, home));
        }

        foreach (var location in defaults)
        {
            var full = PosixPaths.ExpandUser(location, home);
            if (PathKindOf(full) == EntryKind.File)
            {
                return (full, full);
            }
        }

        throw new ConfigurationException(
            "Could not find any configuration file at default locations: " + string.Join(", ", defaults),
            ["Could not find any configuration file at default locations.", "Check Barman's documentation for more help."]);
    }

    private static GlobalOptions ReadGlobal(MergedConfig merged, string file, List<string> logWarnings)
    {
        var barmanHome = merged.Get("barman", "barman_home") ?? string.Empty;
        var cleanupText = NullIfEmpty(merged.Get("barman", "lock_directory_cleanup")) ?? "true";
        var cleanup = OptionParsers.ParseBoolean(cleanupText);
        if (cleanup is null)
        {
            throw new ConfigurationException(
                $"{file}: [barman] lock_directory_cleanup: invalid value {IniFile.PyRepr(cleanupText)}: {OptionParsers.BooleanReason}",
                ["EXCEPTION: " + OptionParsers.BooleanReason, "See log file for more details."]);
        }

        var logLevel = NullIfEmpty(merged.Get("barman", "log_level")) ?? "INFO";
        int levelNumber;
        if (logLevel.All(char.IsAsciiDigit))
        {
            levelNumber = int.TryParse(logLevel, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 20;
        }
        else if (!PythonLevels.TryGetValue(logLevel.ToUpperInvariant(), out levelNumber))
        {
            logWarnings.Add($"unknown log_level in config file: {logLevel}");
            levelNumber = 20;
        }

        var raw = merged.Items("barman").ToDictionary(p => p.Key, p => MergedConfig.StripQuotes(p.Value), StringComparer.Ordinal);
        return new GlobalOptions(raw)
        {
            BarmanHome = barmanHome,
            BarmanUser = NullIfEmpty(merged.Get("barman", "barman_user")) ?? "barman",
            BarmanLockDirectory = NullIfEmpty(merged.Get("barman", "barman_lock_directory")) ?? barmanHome,
            LockDirectoryCleanup = cleanup.Value,
            LogFile = NullIfEmpty(merged.Get("barman", "log_file")),
            LogLevel = logLevel,
            LogLevelNumber = levelNumber,
            LogFormat = NullIfEmpty(merged.Get("barman", "log_format")) ?? GlobalOptions.DefaultLogFormat,
            ConfigurationFilesDirectory = NullIfEmpty(merged.Get("barman", "configuration_files_directory")),
            ConfigChangesQueue = NullIfEmpty(merged.Get("barman", "config_changes_queue")) ?? barmanHome + "/cfg_changes.queue",
        };
    }

    private static void LoadIncluded(
        MergedConfig merged,
        string path,
        IReadOnlyDictionary<string, string> globalSnapshot,
        List<string> included,
        List<string> logWarnings)
    {
        var name = Path.GetFileName(path);
        switch (PathKindOf(path))
        {
            case EntryKind.Missing:
                logWarnings.Add($"Discarding configuration file: {name} (not found)");
                return;
            case EntryKind.Other:
                logWarnings.Add($"Discarding configuration file: {name} (not a file)");
                return;
        }

        merged.Merge(IniFile.Load(path, path));
        included.Add(path);
        var now = merged.Items("barman");
        var same = now.Count == globalSnapshot.Count
            && now.All(p => globalSnapshot.TryGetValue(p.Key, out var v) && v == p.Value);
        if (!same)
        {
            throw new ConfigurationException(
                $"{path}: [barman]: an included configuration file may not change the [barman] section",
                [$"FATAL: the configuration file {name} contains a not empty [barman] section"]);
        }
    }

    /// <summary>The shell glob <c>*.conf</c>: case-sensitive suffix, never a dot-file.</summary>
    internal static bool MatchesConfGlob(string name) =>
        !name.StartsWith('.') && name.EndsWith(".conf", StringComparison.Ordinal);

    internal static EntryKind PathKindOf(string path)
    {
        try
        {
            FileSystemInfo info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
                if (!info.Exists && !Directory.Exists(info.FullName))
                {
                    return EntryKind.Missing;
                }
            }

            if (File.Exists(info.FullName))
            {
                return EntryKind.File;
            }

            return Directory.Exists(info.FullName) || Path.Exists(info.FullName) ? EntryKind.Other : EntryKind.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return EntryKind.Missing;
        }
    }

    private static string? Env(IReadOnlyDictionary<string, string?>? environment, string name) =>
        environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
