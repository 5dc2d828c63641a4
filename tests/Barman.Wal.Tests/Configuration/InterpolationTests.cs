using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class InterpolationTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Load_reference_to_same_section_key_is_replaced()
    {
        var server = _sandbox.LoadServer("host = pg1\ndescription = server %(host)s");

        server.Description.Should().Be("server pg1");
        server.Warnings.Should().Equal("Invalid configuration option \"host\" in [pg] section.");
    }

    [Fact]
    public void Load_reference_is_case_insensitive_and_nested()
    {
        var server = _sandbox.LoadServer("a = x\nb = %(A)s-y\ndescription = %(b)s-z");

        server.Description.Should().Be("x-y-z");
    }

    [Fact]
    public void Load_reference_to_file_DEFAULT_key_is_replaced()
    {
        var config = _sandbox.Load(_sandbox.Write("barman.conf",
            "[DEFAULT]\nroot = /srv\n[barman]\nbarman_home = %(root)s/barman\n[pg]\nconninfo = a=b\n"));

        config.Global.BarmanHome.Should().Be("/srv/barman");
        config.FindServer("pg")!.BackupDirectory.Should().Be("/srv/barman/pg");
    }

    [Theory]
    [InlineData("description = %(name)s", "name")]
    [InlineData("description = %(barman_home)s/x", "barman_home")]
    [InlineData("wals_directory = %(backup_directory)s/w", "backup_directory")]
    [InlineData("description = %(Missing)s", "Missing")]
    public void Load_reference_to_unknown_key_fails_with_one_line(string line, string missing)
    {
        var path = _sandbox.WriteMain("[pg]\nconninfo = a=b\n" + line);

        var error = _sandbox.LoadFails(path);

        var key = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        error.Message.Should().Be($"{path}: [pg] {key}: unknown interpolation %({missing})s");
        error.StderrLines.Should().Equal("ERROR: " + error.Message);
    }

    [Theory]
    [InlineData("description = 50% off")]
    [InlineData("description = 100%")]
    [InlineData("description = 100%% (3.17 decodes %% at merge, then fails)")]
    [InlineData("description = %(broken")]
    [InlineData("description = %(x)d")]
    public void Load_bad_percent_syntax_fails_with_one_line(string line)
    {
        var path = _sandbox.WriteMain("[pg]\nconninfo = a=b\nx = 1\n" + line);

        var error = _sandbox.LoadFails(path);

        error.Message.Should().StartWith($"{path}: [pg] description: invalid interpolation syntax").And.NotContain("\n");
    }

    [Fact]
    public void Load_double_percent_followed_by_reference_is_interpolated_twice()
    {
        // 3.17 decodes twice: %%(x)s -> %(x)s at merge time -> value of x when read
        var server = _sandbox.LoadServer("x = 1\ndescription = a%%(x)sb");

        server.Description.Should().Be("a1b");
    }

    [Fact]
    public void Load_quadruple_percent_is_a_literal_percent()
    {
        _sandbox.LoadServer("description = 100%%%% sure").Description.Should().Be("100% sure");
    }

    [Fact]
    public void Load_log_format_written_for_3_17_decodes_to_default_layout()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(global:
            "log_format = %%%%(asctime)s [%%%%(process)s] %%%%(name)s %%%%(levelname)s: %%%%(message)s"));

        config.Global.LogFormat.Should().Be(GlobalOptions.DefaultLogFormat);
        config.Warnings.Should().Equal("Invalid configuration option \"log_format\" in [barman] section.");
    }

    [Fact]
    public void Load_log_format_with_double_percent_fails_like_3_17()
    {
        var path = _sandbox.WriteMain(global: "log_format = %%(asctime)s %%(message)s");

        var error = _sandbox.LoadFails(path);

        error.Message.Should().Be($"{path}: [barman] log_format: unknown interpolation %(asctime)s");
    }

    [Fact]
    public void Load_self_reference_fails_as_too_deep()
    {
        var path = _sandbox.WriteMain("[pg]\nconninfo = a=b\ndescription = %(description)s");

        var error = _sandbox.LoadFails(path);

        error.Message.Should().Contain("[pg] description").And.Contain("deeper than 10");
    }

    [Fact]
    public void Load_interpolation_error_in_unknown_key_is_still_fatal()
    {
        var path = _sandbox.WriteMain("[pg]\nconninfo = a=b\nbogus = %(nothing)s");

        _sandbox.LoadFails(path).Message.Should().Be($"{path}: [pg] bogus: unknown interpolation %(nothing)s");
    }
}
