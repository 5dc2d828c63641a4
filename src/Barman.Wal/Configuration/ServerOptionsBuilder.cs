using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Barman.Wal.Configuration;

/// <summary>Builds servers and models from the merged sections, as Barman's ServerConfig does.</summary>
internal sealed partial class ServerOptionsBuilder(MergedConfig merged, GlobalOptions global, List<string> warnings)
{
    private static readonly HashSet<string> DirectoryOptions = new(StringComparer.Ordinal)
    {
        "backup_directory",
        "basebackups_directory",
        "errors_directory",
        "incoming_wals_directory",
        "streaming_wals_directory",
        "wals_directory",
    };

    /// <summary>Whether the section is a configuration model (<c>model</c> is a true boolean).</summary>
    public bool IsModel(string section)
    {
        var raw = merged.GetInterpolated(section, "model");
        if (raw is null)
        {
            return false;
        }

        return OptionParsers.ParseBoolean(raw) ?? throw new ConfigurationException(
            $"{merged.SourceFile(section, "model")}: [{section}] model: invalid value {IniFile.PyRepr(raw)}: {OptionParsers.BooleanReason}",
            ["EXCEPTION: " + OptionParsers.BooleanReason, "See log file for more details."]);
    }

    public ServerOptions BuildServer(string name)
    {
        var collected = new List<string>();
        foreach (var key in merged.Items(name).Keys)
        {
            if (!OptionCatalog.IsServerOption(key))
            {
                collected.Add($"Invalid configuration option \"{key}\" in [{name}] section.");
            }
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in OptionCatalog.Server)
        {
            Resolve(name, option, values, raw, collected);
        }

        var server = new ServerOptions(name, global, values, raw);
        foreach (var w in collected)
        {
            server.AddWarning(w);
            warnings.Add(w);
        }

        return server;
    }

    public ConfigurationModel BuildModel(string name)
    {
        foreach (var key in merged.Items(name).Keys)
        {
            var known = key is "model" || OptionCatalog.ByName.TryGetValue(key, out var def) && def.ModelAllowed;
            if (!known)
            {
                warnings.Add($"Invalid configuration option \"{key}\" in [{name}] section.");
            }
        }

        if (!merged.HasOption(name, "cluster"))
        {
            throw new ConfigurationException(
                $"{merged.SourceFile(name, "model")}: [{name}] cluster: required parameter of a model is missing",
                [
                    $"ERROR: Parameter \"cluster\" is required in [{name}] section.",
                    "Your configuration is missing required parameters. Exiting.",
                ]);
        }

        var overrides = new Dictionary<string, (object? Value, string Raw)>(StringComparer.Ordinal);
        string? cluster = null;
        foreach (var option in OptionCatalog.Server.Where(o => o.ModelAllowed))
        {
            var text = merged.Get(name, option.Name, noneValue: string.Empty);
            if (text is null)
            {
                continue;
            }

            var outcome = OptionParsers.Parse(option.Kind, text, option.Name, $"[{name}] section");
            if (outcome.State == ParseState.Invalid)
            {
                warnings.Add(InvalidValue(text, option.Name, $"[{name}] section", outcome.Reason!));
                continue;
            }

            var value = Normalize(outcome.Value);
            if (value is null)
            {
                continue;
            }

            if (option.Name == "cluster")
            {
                cluster = (string)value;
                continue;
            }

            overrides[option.Name] = (value, text);
        }

        return new ConfigurationModel(name, cluster ?? name, overrides);
    }

    /// <summary>Barman's path conflict check: servers sorted by name, labels sorted.</summary>
    public static List<string> CheckConflictingPaths(IReadOnlyList<ServerOptions> servers)
    {
        var errors = new List<string>();
        var seen = new Dictionary<string, (string Label, string Server)>(StringComparer.Ordinal);
        foreach (var server in servers.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            foreach (var label in OptionCatalog.ConflictCheckedPaths)
            {
                var path = (string)server.Values[label]!;
                if (CloudUrl.Provider(path) is not null)
                {
                    continue;
                }

                var real = PosixPaths.RealPath(path);
                if (!seen.TryGetValue(real, out var first))
                {
                    seen[real] = (label, server.Name);
                    continue;
                }

                var shown = real == path ? $"{label}={path}" : $"{label}={path} (symlink to: {real})";
                if (first.Server == server.Name)
                {
                    server.AddMessage($"Conflicting path: {shown} conflicts with '{first.Label}' for server '{first.Server}'");
                }
                else
                {
                    errors.Add(
                        $"Conflicting path: {shown} for server '{server.Name}' conflicts with '{first.Label}' for server '{first.Server}'");
                }
            }
        }

        return errors;
    }

    /// <summary>Applies the model named in <c>&lt;backup_directory&gt;/.active-model.auto</c>.</summary>
    public static void ApplyActiveModel(ServerOptions server, IReadOnlyDictionary<string, ConfigurationModel> models)
    {
        var file = Path.Combine(server.BackupDirectory, ".active-model.auto");
        string name;
        try
        {
            name = File.ReadAllText(file, Encoding.UTF8).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            server.AddMessage($"Cannot read the active model file '{file}': {e.Message}");
            return;
        }

        if (name.Length == 0)
        {
            return;
        }

        if (!models.TryGetValue(name, out var model))
        {
            server.AddMessage(
                $"Model '{name}' is set as the active model for the server '{server.Name}' but the model does not exist.");
            return;
        }

        if (model.Cluster != server.Cluster)
        {
            server.AddCommandWarning(
                $"Model '{model.Name}' has 'cluster={model.Cluster}', which is not compatible with "
                + $"'cluster={server.Cluster}' from server '{server.Name}'");
            return;
        }

        server.ApplyModel(model.Name, model.Overrides);
    }

    /// <summary>The checks Barman makes when it builds the server object.</summary>
    public static void CheckServer(ServerOptions server)
    {
        if (server.IsPassive)
        {
            return;
        }

        if (server.Conninfo is null)
        {
            server.AddMessage($"PostgreSQL connection: Missing 'conninfo' parameter for server '{server.Name}'");
        }
        else if (!IsKeyValueConninfo(server.Conninfo))
        {
            server.AddMessage(
                $"PostgreSQL connection: Cannot connect to postgres: \"{server.Conninfo}\" is not a valid connection string");
        }

        if (server.StreamingArchiver || server.BackupMethod == "postgres")
        {
            if (server.StreamingConninfo is null)
            {
                server.AddMessage($"Streaming connection: Missing 'streaming_conninfo' parameter for server '{server.Name}'");
            }
            else if (!IsKeyValueConninfo(server.StreamingConninfo))
            {
                server.AddMessage(
                    $"Streaming connection: Cannot connect to postgres: \"{server.StreamingConninfo}\" is not a valid connection string");
            }
        }

        if (!server.Archiver && !server.StreamingArchiver)
        {
            server.AddCommandWarning(
                $"No archiver enabled for server '{server.Name}'. Please turn on 'archiver', 'streaming_archiver' or both");
            server.AddCommandWarning("Forcing 'archiver = on'");
            server.ForceArchiver();
        }

        if (server.StreamingArchiver && !server.Archiver && server.SlotName is null)
        {
            server.AddMessage(
                "Streaming-only archiver requires 'streaming_conninfo' and 'slot_name' options to be properly configured");
        }

        if (server.UsesCloudWalStorage)
        {
            if (server.XlogdbDirectory is null || CloudUrl.Provider(server.XlogdbDirectory) is not null)
            {
                server.AddMessage(
                    $"Cloud WAL storage requires 'xlogdb_directory' to be a local directory for server '{server.Name}'");
            }

            if (server.AwsSseKmsKeyId is not null && server.AwsEncryption != "aws:kms")
            {
                server.AddMessage("aws_encryption must be \"aws:kms\" if aws_sse_kms_key_id is specified");
            }
        }
    }

    /// <summary>Barman's test: split on blanks, every token must contain <c>=</c>.</summary>
    internal static bool IsKeyValueConninfo(string conninfo)
    {
        var tokens = conninfo.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length > 0 && tokens.All(t => t.Contains('=', StringComparison.Ordinal));
    }

    private void Resolve(
        string name, OptionDefinition option, Dictionary<string, object?> values, Dictionary<string, string> raw,
        List<string> collected)
    {
        object? value = null;
        var decided = false;
        string? usedText = null;
        if (option.Name != "disabled")
        {
            decided = TryFrom(name, $"[{name}] section", option, collected, ref value, ref usedText);
            if (!decided && option.Inheritable)
            {
                decided = TryFrom("barman", "[barman] section", option, collected, ref value, ref usedText);
            }
        }

        if (!decided && option.Default is not null)
        {
            decided = TryDefault(name, option, values, collected, ref value, ref usedText);
        }

        value = Normalize(value);
        if (value is null && DirectoryOptions.Contains(option.Name))
        {
            // barman-wal decision: an empty directory option means "the default" (Barman builds "None/...")
            usedText = null;
            TryDefault(name, option, values, collected, ref value, ref usedText);
            value = Normalize(value);
        }

        values[option.Name] = value;
        if (value is not null && usedText is not null)
        {
            raw[option.Name] = usedText;
        }
    }

    private bool TryFrom(
        string section, string source, OptionDefinition option, List<string> collected, ref object? value, ref string? usedText)
    {
        var text = merged.Get(section, option.Name, noneValue: string.Empty);
        if (text is null)
        {
            return false;
        }

        return Apply(OptionParsers.Parse(option.Kind, text, option.Name, source), text, source, option, collected, ref value, ref usedText);
    }

    private bool TryDefault(
        string name, OptionDefinition option, Dictionary<string, object?> values, List<string> collected,
        ref object? value, ref string? usedText)
    {
        var text = SubstituteDefault(option.Default!, name, values);
        return Apply(OptionParsers.Parse(option.Kind, text, option.Name, "DEFAULTS"), text, "DEFAULTS", option, collected, ref value, ref usedText);
    }

    private static bool Apply(
        ParseOutcome outcome, string text, string source, OptionDefinition option, List<string> collected,
        ref object? value, ref string? usedText)
    {
        switch (outcome.State)
        {
            case ParseState.Value:
                value = outcome.Value;
                usedText = text;
                return true;
            case ParseState.Empty:
                value = null;
                usedText = text;
                return true;
            case ParseState.Invalid:
                collected.Add(InvalidValue(text, option.Name, source, outcome.Reason!));
                return false;
            default:
                return false;
        }
    }

    private string SubstituteDefault(string template, string name, Dictionary<string, object?> values) =>
        DefaultRefRegex().Replace(template, m => m.Groups[1].Value switch
        {
            "name" => name,
            "barman_home" => global.BarmanHome,
            var key => PythonStr(values.GetValueOrDefault(key)),
        });

    private static string PythonStr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        TimeSpan t => OptionParsers.FormatTimedelta(t),
        _ => value.ToString() ?? "None",
    };

    /// <summary>Barman's final rule: an empty string or the text <c>None</c> is unset.</summary>
    private static object? Normalize(object? value) => value is "" or "None" ? null : value;

    private static string InvalidValue(string text, string key, string source, string reason) =>
        $"Ignoring invalid configuration value '{text}' for key {key} in {source}: {reason}";

    [GeneratedRegex(@"%\(([a-z_]+)\)s")]
    private static partial Regex DefaultRefRegex();
}
