using System.Globalization;
using System.Text;
using Npgsql;

namespace Barman.Wal.Postgres;

/// <summary>
/// A parsed libpq connection string (<c>key=value</c> pairs with libpq quoting, or a
/// <c>postgresql://</c> URI): the one place that turns Barman's <c>conninfo</c> and
/// <c>streaming_conninfo</c> into Npgsql connections and pg_receivewal arguments.
/// </summary>
/// <remarks>
/// Immutable. Keywords keep their first position; a repeated keyword's last value wins, as in
/// libpq. Defaults for missing values (PGHOST, PGPORT, PGUSER, ..., .pgpass) are applied only
/// when converting, like libpq does at connect time.
/// </remarks>
public sealed class ConnInfo
{
    /// <summary>The socket directory libpq uses on Debian when no host is given.</summary>
    public const string DefaultSocketDirectory = "/var/run/postgresql";

    private readonly List<KeyValuePair<string, string>> _parameters;

    private ConnInfo(List<KeyValuePair<string, string>> parameters) => _parameters = parameters;

    /// <summary>No parameters at all (every value from the environment or libpq's defaults).</summary>
    public static ConnInfo Empty { get; } = new([]);

    /// <summary>The keywords and values, in the order they were first given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>The value of <paramref name="keyword"/>, or null when it was not given.</summary>
    public string? this[string keyword] => _parameters.FirstOrDefault(p => p.Key == keyword).Value;

    public string? Host => this["host"];

    public string? HostAddr => this["hostaddr"];

    public string? Port => this["port"];

    public string? User => this["user"];

    public string? DbName => this["dbname"];

    public string? Password => this["password"];

    public string? PassFile => this["passfile"];

    public string? ApplicationName => this["application_name"];

    public string? SslMode => this["sslmode"];

    public string? ConnectTimeout => this["connect_timeout"];

    public string? Replication => this["replication"];

    public string? Options => this["options"];

    /// <summary>Parses a libpq connection string or URI.</summary>
    /// <exception cref="ConnInfoException">With libpq's message, e.g. <c>missing "=" after "x" in connection info string</c>.</exception>
    public static ConnInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConnInfo(ConnInfoParser.Parse(text));
    }

    /// <summary>Parses without throwing; <paramref name="error"/> is libpq's message on failure.</summary>
    public static bool TryParse(string text, out ConnInfo? connInfo, out string? error)
    {
        try
        {
            connInfo = Parse(text);
            error = null;
            return true;
        }
        catch (ConnInfoException e)
        {
            connInfo = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// True when Barman accepts the string: split on whitespace, every token holds an <c>=</c>
    /// (so URIs and quoted values with spaces are refused, spec/config.md §4).
    /// </summary>
    public static bool IsBarmanSyntax(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).All(t => t.Contains('=', StringComparison.Ordinal));

    /// <summary>
    /// The <c>--dbname</c> value Barman gives pg_receivewal (spec/receive-wal.md §4.3): the
    /// whitespace-split tokens of <paramref name="streamingConnInfo"/> with <c>replication=true</c>,
    /// <c>options=-cdatestyle=iso</c> and <c>dbname=replication</c> forced, sorted by key, then
    /// <c>application_name</c> appended unless the user gave one.
    /// </summary>
    /// <exception cref="ConnInfoException">A token without <c>=</c>.</exception>
    public static string ToPgReceiveWalDbName(string streamingConnInfo, string applicationName)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in streamingConnInfo.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new ConnInfoException($"\"{streamingConnInfo}\" is not a valid connection string");
            }

            pairs[token[..eq]] = token[(eq + 1)..];
        }

        var hadApplicationName = pairs.ContainsKey("application_name");
        pairs["replication"] = "true";
        pairs["options"] = "-cdatestyle=iso";
        pairs["dbname"] = "replication";
        var text = string.Join(' ', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return hadApplicationName ? text : $"{text} application_name={applicationName}";
    }

    /// <summary>A copy with <paramref name="keyword"/> set to <paramref name="value"/> (null removes it).</summary>
    public ConnInfo With(string keyword, string? value)
    {
        if (!ConnInfoKeywords.All.Contains(keyword))
        {
            throw new ConnInfoException($"invalid connection option \"{keyword}\"");
        }

        var list = new List<KeyValuePair<string, string>>(_parameters);
        var i = list.FindIndex(p => p.Key == keyword);
        if (value is null)
        {
            if (i >= 0)
            {
                list.RemoveAt(i);
            }
        }
        else if (i >= 0)
        {
            list[i] = new(keyword, value);
        }
        else
        {
            list.Add(new(keyword, value));
        }

        return new ConnInfo(list);
    }

    /// <summary>The libpq <c>key=value</c> form, values quoted where needed; parses back to an equal ConnInfo.</summary>
    public override string ToString() => Format(redact: false);

    /// <summary>Like <see cref="ToString"/> with the password shown as <c>*REDACTED*</c>, for logs and messages.</summary>
    public string ToRedactedString() => Format(redact: true);

    /// <summary>The host libpq would connect to: host, else hostaddr, else PGHOST/PGHOSTADDR, else the Debian socket directory.</summary>
    public string EffectiveHost(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = new ConnInfoEnvironment(environment);
        return NonEmpty(Host) ?? NonEmpty(HostAddr) ?? env["PGHOST"] ?? env["PGHOSTADDR"] ?? DefaultSocketDirectory;
    }

    /// <summary>The port libpq would use: port, else PGPORT, else 5432.</summary>
    public string EffectivePort(IReadOnlyDictionary<string, string?>? environment = null) =>
        NonEmpty(Port) ?? new ConnInfoEnvironment(environment)["PGPORT"] ?? "5432";

    /// <summary>The user libpq would log in as: user, else PGUSER, else the OS user.</summary>
    public string EffectiveUser(IReadOnlyDictionary<string, string?>? environment = null) =>
        NonEmpty(User) ?? new ConnInfoEnvironment(environment)["PGUSER"] ?? Environment.UserName;

    /// <summary>
    /// An Npgsql connection string with libpq's defaults filled in: PGHOST/PGPORT/PGUSER/
    /// PGDATABASE/PGPASSWORD/PGAPPNAME/PGSSLMODE/PGCONNECT_TIMEOUT/PGOPTIONS, the password file
    /// (passfile, PGPASSFILE or ~/.pgpass, with libpq's matching rules), unix socket directories.
    /// </summary>
    /// <param name="environment">Variables to use instead of the process environment (null: the process environment).</param>
    /// <exception cref="ConnInfoException">A value libpq would refuse (port, connect_timeout, sslmode).</exception>
    public NpgsqlConnectionStringBuilder ToNpgsql(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = new ConnInfoEnvironment(environment);
        var host = NonEmpty(HostAddr) ?? NonEmpty(Host) ?? env["PGHOSTADDR"] ?? env["PGHOST"] ?? DefaultSocketDirectory;
        var portText = NonEmpty(Port) ?? env["PGPORT"] ?? "5432";
        var user = NonEmpty(User) ?? env["PGUSER"] ?? Environment.UserName;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Username = user,
            Database = NonEmpty(DbName) ?? env["PGDATABASE"] ?? user,
            Pooling = false,
            Enlist = false,
        };

        var hosts = host.Split(',');
        var ports = portText.Split(',');
        if (ports.Length != 1 && ports.Length != hosts.Length)
        {
            throw new ConnInfoException($"could not match {ports.Length.ToString(CultureInfo.InvariantCulture)} port numbers to {hosts.Length.ToString(CultureInfo.InvariantCulture)} hosts");
        }

        var portNumbers = ports.Select(p => ParseInt(p.Length == 0 ? "5432" : p, "port")).ToArray();
        if (portNumbers.Any(p => p is < 1 or > 65535))
        {
            throw new ConnInfoException($"invalid port number: \"{portText}\"");
        }

        if (hosts.Length == 1)
        {
            builder.Host = hosts[0].Length == 0 ? DefaultSocketDirectory : hosts[0];
            builder.Port = portNumbers[0];
        }
        else
        {
            builder.Host = string.Join(',', hosts.Select((h, i) =>
                $"{(h.Length == 0 ? DefaultSocketDirectory : h)}:{portNumbers[ports.Length == 1 ? 0 : i].ToString(CultureInfo.InvariantCulture)}"));
        }

        var password = Password ?? env["PGPASSWORD"];
        if (password is null)
        {
            var passfile = NonEmpty(PassFile) ?? env["PGPASSFILE"] ?? DefaultPassFile(env);
            if (passfile is not null)
            {
                password = PgPassFile.Lookup(passfile, hosts[0].Length == 0 ? DefaultSocketDirectory : hosts[0],
                    portNumbers[0].ToString(CultureInfo.InvariantCulture), builder.Database!, user);
            }
        }

        if (password is not null)
        {
            builder.Password = password;
        }

        var applicationName = NonEmpty(ApplicationName) ?? env["PGAPPNAME"] ?? NonEmpty(this["fallback_application_name"]);
        if (applicationName is not null)
        {
            builder.ApplicationName = applicationName;
        }

        builder.SslMode = ParseSslMode(NonEmpty(SslMode) ?? env["PGSSLMODE"] ?? "prefer");

        if ((NonEmpty(ConnectTimeout) ?? env["PGCONNECT_TIMEOUT"]) is { } timeoutText)
        {
            var seconds = ParseInt(timeoutText, "connect_timeout");
            // libpq: zero or negative waits forever, 1 means 2 seconds
            builder.Timeout = seconds <= 0 ? 0 : Math.Min(Math.Max(seconds, 2), 1024);
        }

        if ((NonEmpty(Options) ?? env["PGOPTIONS"]) is { } options)
        {
            builder.Options = options;
        }

        if ((NonEmpty(this["client_encoding"]) ?? env["PGCLIENTENCODING"]) is { } encoding)
        {
            builder.ClientEncoding = encoding;
        }

        if (NonEmpty(this["sslcert"]) is { } cert)
        {
            builder.SslCertificate = cert;
        }

        if (NonEmpty(this["sslkey"]) is { } key)
        {
            builder.SslKey = key;
        }

        if (NonEmpty(this["sslrootcert"]) is { } root)
        {
            builder.RootCertificate = root;
        }

        if (NonEmpty(this["sslpassword"]) is { } sslPassword)
        {
            builder.SslPassword = sslPassword;
        }

        if (NonEmpty(this["target_session_attrs"]) is { } attrs)
        {
            builder.TargetSessionAttributes = attrs;
        }

        if (NonEmpty(this["krbsrvname"]) is { } krb)
        {
            builder.KerberosServiceName = krb;
        }

        return builder;
    }

    private string Format(bool redact)
    {
        var text = new StringBuilder();
        foreach (var (k, v) in _parameters)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(k).Append('=');
            if (redact && k == "password")
            {
                text.Append("*REDACTED*");
            }
            else if (v.Length > 0 && !v.Any(c => char.IsWhiteSpace(c) || c is '\'' or '\\'))
            {
                text.Append(v);
            }
            else
            {
                text.Append('\'').Append(v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append('\'');
            }
        }

        return text.ToString();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int ParseInt(string text, string keyword)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new ConnInfoException($"invalid integer value \"{text}\" for connection option \"{keyword}\"");
        }

        return value;
    }

    private static SslMode ParseSslMode(string text) => text switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw new ConnInfoException($"invalid sslmode value: \"{text}\""),
    };

    private static string? DefaultPassFile(ConnInfoEnvironment env) =>
        env["HOME"] is { } home ? Path.Combine(home, ".pgpass") : null;
}
