using Barman.Wal.Postgres;
using Npgsql;

namespace Barman.Wal.Tests.Postgres;

public sealed class ConnInfoTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void Parse_key_value_string_keeps_order_and_values()
    {
        var c = ConnInfo.Parse("host=pg1  user = barman dbname=postgres port=5433");

        c.Parameters.Select(p => $"{p.Key}={p.Value}").Should().Equal("host=pg1", "user=barman", "dbname=postgres", "port=5433");
        c.Host.Should().Be("pg1");
        c.User.Should().Be("barman");
        c.Port.Should().Be("5433");
        c.Password.Should().BeNull();
    }

    [Fact]
    public void Parse_quoted_values_with_escapes_are_unquoted()
    {
        var c = ConnInfo.Parse(@"password='it\'s a \\secret' application_name='' options=-c\ x=1");

        c.Password.Should().Be(@"it's a \secret");
        c.ApplicationName.Should().Be("");
        c.Options.Should().Be("-c x=1");
    }

    [Fact]
    public void Parse_repeated_keyword_last_value_wins()
    {
        ConnInfo.Parse("port=1 host=h port=2").Parameters.Select(p => $"{p.Key}={p.Value}").Should().Equal("port=2", "host=h");
    }

    [Theory]
    [InlineData("host", "missing \"=\" after \"host\" in connection info string")]
    [InlineData("host=a x", "missing \"=\" after \"x\" in connection info string")]
    [InlineData("password='abc", "unterminated quoted string in connection info string")]
    [InlineData("hots=a", "invalid connection option \"hots\"")]
    [InlineData("postgresql://h/db?foo=1", "invalid URI query parameter: \"foo\"")]
    [InlineData("postgresql://h/db?port", "missing key/value separator \"=\" in URI query parameter: \"port\"")]
    [InlineData("postgresql://h/db?port=1=2", "extra key/value separator \"=\" in URI query parameter: \"port=1=2\"")]
    [InlineData("postgresql://[::1/db", "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1/db\"")]
    [InlineData("postgresql://h/d%zzb", "invalid percent-encoded token: \"d%zzb\"")]
    public void Parse_broken_string_throws_libpq_message(string text, string message)
    {
        var parse = () => ConnInfo.Parse(text);

        parse.Should().Throw<ConnInfoException>().WithMessage(message);
    }

    [Fact]
    public void Parse_uri_gives_user_password_hosts_ports_dbname_and_query()
    {
        var c = ConnInfo.Parse("postgresql://bar%40man:p%3Ass@db1:5433,[::1]:5434/my%20db?sslmode=disable&application_name=x&ssl=true");

        c.User.Should().Be("bar@man");
        c.Password.Should().Be("p:ss");
        c.Host.Should().Be("db1,::1");
        c.Port.Should().Be("5433,5434");
        c.DbName.Should().Be("my db");
        c.ApplicationName.Should().Be("x");
        c.SslMode.Should().Be("require");   // ssl=true comes later and wins
    }

    [Fact]
    public void Parse_uri_with_only_scheme_is_empty()
    {
        ConnInfo.Parse("postgres://").Parameters.Should().BeEmpty();
        ConnInfo.Parse("   ").Parameters.Should().BeEmpty();
    }

    [Fact]
    public void ToString_quotes_where_needed_and_round_trips()
    {
        var c = ConnInfo.Parse("host=/tmp/s password='a b\\'c' dbname=''");

        c.ToString().Should().Be(@"host=/tmp/s password='a b\'c' dbname=''");
        ConnInfo.Parse(c.ToString()).Parameters.Should().Equal(c.Parameters);
        c.ToRedactedString().Should().Be("host=/tmp/s password=*REDACTED* dbname=''");
    }

    [Fact]
    public void With_sets_replaces_and_removes_keywords()
    {
        var c = ConnInfo.Parse("host=h user=u");

        c.With("application_name", "barman_receive_wal").With("user", "v").With("host", null).ToString()
            .Should().Be("user=v application_name=barman_receive_wal");
        c.ToString().Should().Be("host=h user=u");
        var bad = () => c.With("nope", "1");
        bad.Should().Throw<ConnInfoException>().WithMessage("invalid connection option \"nope\"");
    }

    [Fact]
    public void ToPgReceiveWalDbName_spec_example_sorts_forces_and_appends_application_name()
    {
        ConnInfo.ToPgReceiveWalDbName("host=127.0.0.1 port=54329 user=streaming_barman dbname=postgres", "barman_receive_wal")
            .Should().Be("dbname=replication host=127.0.0.1 options=-cdatestyle=iso port=54329 replication=true user=streaming_barman application_name=barman_receive_wal");
    }

    [Fact]
    public void ToPgReceiveWalDbName_user_application_name_is_kept_and_nothing_appended()
    {
        ConnInfo.ToPgReceiveWalDbName("application_name=mine host=h replication=database", "barman_receive_wal")
            .Should().Be("application_name=mine dbname=replication host=h options=-cdatestyle=iso replication=true");
    }

    [Fact]
    public void ToPgReceiveWalDbName_token_without_equals_throws()
    {
        var build = () => ConnInfo.ToPgReceiveWalDbName("postgresql://h/db", "x");

        build.Should().Throw<ConnInfoException>().WithMessage("\"postgresql://h/db\" is not a valid connection string");
    }

    [Theory]
    [InlineData("host=h user=u", true)]
    [InlineData("", true)]
    [InlineData("postgresql://h/db", false)]
    [InlineData("password='a b'", false)]
    public void IsBarmanSyntax_requires_equals_in_every_whitespace_token(string text, bool expected)
    {
        ConnInfo.IsBarmanSyntax(text).Should().Be(expected);
    }

    [Fact]
    public void ToNpgsql_without_values_uses_libpq_environment_defaults()
    {
        var env = new Dictionary<string, string?>
        {
            ["PGHOST"] = "envhost", ["PGPORT"] = "6543", ["PGUSER"] = "envuser", ["PGDATABASE"] = "envdb",
            ["PGPASSWORD"] = "envpw", ["PGAPPNAME"] = "envapp", ["PGSSLMODE"] = "disable", ["PGCONNECT_TIMEOUT"] = "7",
        };

        var b = ConnInfo.Empty.ToNpgsql(env);

        b.Host.Should().Be("envhost");
        b.Port.Should().Be(6543);
        b.Username.Should().Be("envuser");
        b.Database.Should().Be("envdb");
        b.Password.Should().Be("envpw");
        b.ApplicationName.Should().Be("envapp");
        b.SslMode.Should().Be(SslMode.Disable);
        b.Timeout.Should().Be(7);
        b.Pooling.Should().BeFalse();
    }

    [Fact]
    public void ToNpgsql_no_host_anywhere_uses_debian_socket_dir_and_os_user()
    {
        var b = ConnInfo.Empty.ToNpgsql(NoEnvironment);

        b.Host.Should().Be("/var/run/postgresql");
        b.Port.Should().Be(5432);
        b.Username.Should().Be(Environment.UserName);
        b.Database.Should().Be(Environment.UserName);   // libpq: dbname defaults to the user
        b.SslMode.Should().Be(SslMode.Prefer);
    }

    [Fact]
    public void ToNpgsql_values_in_string_win_over_environment()
    {
        var b = ConnInfo.Parse("host=/tmp/sock port=5 user=u dbname=d connect_timeout=1 options='-c work_mem=1MB' sslmode=verify-full")
            .ToNpgsql(new Dictionary<string, string?> { ["PGHOST"] = "other", ["PGUSER"] = "other" });

        b.Host.Should().Be("/tmp/sock");
        b.Port.Should().Be(5);
        b.Username.Should().Be("u");
        b.Database.Should().Be("d");
        b.Timeout.Should().Be(2);   // libpq treats 1 as 2 seconds
        b.Options.Should().Be("-c work_mem=1MB");
        b.SslMode.Should().Be(SslMode.VerifyFull);
    }

    [Fact]
    public void ToNpgsql_multiple_hosts_pair_with_ports()
    {
        ConnInfo.Parse("host=a,b port=1,2").ToNpgsql(NoEnvironment).Host.Should().Be("a:1,b:2");
        ConnInfo.Parse("host=a,b port=3").ToNpgsql(NoEnvironment).Host.Should().Be("a:3,b:3");
    }

    [Theory]
    [InlineData("port=abc", "invalid integer value \"abc\" for connection option \"port\"")]
    [InlineData("port=70000", "invalid port number: \"70000\"")]
    [InlineData("connect_timeout=soon", "invalid integer value \"soon\" for connection option \"connect_timeout\"")]
    [InlineData("sslmode=always", "invalid sslmode value: \"always\"")]
    public void ToNpgsql_invalid_value_throws_libpq_message(string text, string message)
    {
        var convert = () => ConnInfo.Parse(text).ToNpgsql(NoEnvironment);

        convert.Should().Throw<ConnInfoException>().WithMessage(message);
    }

    [Fact]
    public void ToNpgsql_password_comes_from_passfile_with_libpq_matching()
    {
        var dir = Directory.CreateTempSubdirectory("barman-wal-pgpass-").FullName;
        try
        {
            var passfile = Path.Combine(dir, "pgpass");
            File.WriteAllText(passfile,
                "# comment\n" +
                "otherhost:*:*:barman:wrong\n" +
                "localhost:5432:*:barman:sock\\:pw\n" +
                "db1:*:*:barman:tcp-pw\n" +
                "*:*:*:*:fallback\n");
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            ConnInfo.Parse($"host=db1 user=barman passfile={passfile}").ToNpgsql(NoEnvironment).Password.Should().Be("tcp-pw");
            ConnInfo.Parse($"host=/tmp user=barman passfile={passfile}").ToNpgsql(NoEnvironment).Password.Should().Be("sock:pw");
            ConnInfo.Parse("host=zz user=x").ToNpgsql(new Dictionary<string, string?> { ["PGPASSFILE"] = passfile }).Password.Should().Be("fallback");
            ConnInfo.Parse("host=db1 user=barman password=given").ToNpgsql(new Dictionary<string, string?> { ["PGPASSFILE"] = passfile }).Password.Should().Be("given");

            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            ConnInfo.Parse($"host=db1 user=barman passfile={passfile}").ToNpgsql(NoEnvironment).Password.Should().BeNull("libpq ignores a group-readable password file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Effective_values_follow_libpq_precedence()
    {
        var env = new Dictionary<string, string?> { ["PGHOST"] = "envhost", ["PGPORT"] = "7", ["PGUSER"] = "envuser" };

        ConnInfo.Parse("host=h port=1 user=u").EffectiveHost(env).Should().Be("h");
        ConnInfo.Empty.EffectiveHost(env).Should().Be("envhost");
        ConnInfo.Empty.EffectivePort(env).Should().Be("7");
        ConnInfo.Empty.EffectiveUser(env).Should().Be("envuser");
        ConnInfo.Empty.EffectiveHost(NoEnvironment).Should().Be("/var/run/postgresql");
        ConnInfo.Empty.EffectivePort(NoEnvironment).Should().Be("5432");
    }

    [Fact]
    public void PostgresLsn_parse_and_format_round_trip()
    {
        PostgresLsn.Parse("16/B374D848").Should().Be(0x16B374D848UL);
        PostgresLsn.Format(0x3000000).Should().Be("0/3000000");
        var bad = () => PostgresLsn.Parse("nope");
        bad.Should().Throw<FormatException>();
    }
}
