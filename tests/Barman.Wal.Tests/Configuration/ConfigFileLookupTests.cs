using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class ConfigFileLookupTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private Dictionary<string, string?> Env(string? configFile = null) => new()
    {
        ["HOME"] = _sandbox.Home,
        [BarmanConfiguration.ConfigFileVariable] = configFile,
    };

    private string WriteConf(string relative, string description) =>
        _sandbox.Write(relative, $"[barman]\nbarman_home = @BH@\n[pg]\nconninfo = a=b\ndescription = {description}\n");

    private string[] Defaults => ["~/.barman.conf", Path.Combine(_sandbox.Root, "etc/barman.conf"), Path.Combine(_sandbox.Root, "etc/barman/barman.conf")];

    [Fact]
    public void Load_explicit_path_wins_over_environment_and_defaults()
    {
        var explicitPath = WriteConf("c.conf", "explicit");
        var envPath = WriteConf("e.conf", "env");
        WriteConf("home/.barman.conf", "home");

        var config = ConfigurationLoader.Load(explicitPath, Env(envPath), Defaults);

        config.FindServer("pg")!.Description.Should().Be("explicit");
        config.ConfigFilePath.Should().Be(explicitPath);
    }

    [Fact]
    public void Load_environment_variable_wins_over_defaults()
    {
        var envPath = WriteConf("e.conf", "env");
        WriteConf("home/.barman.conf", "home");

        var config = ConfigurationLoader.Load(null, Env(envPath), Defaults);

        config.FindServer("pg")!.Description.Should().Be("env");
        config.ConfigFilePath.Should().Be(envPath);
    }

    [Fact]
    public void Load_empty_environment_variable_is_ignored()
    {
        WriteConf("home/.barman.conf", "home");

        var config = ConfigurationLoader.Load(null, Env(string.Empty), Defaults);

        config.FindServer("pg")!.Description.Should().Be("home");
    }

    [Theory]
    [InlineData(new[] { "home/.barman.conf", "etc/barman.conf", "etc/barman/barman.conf" }, "home/.barman.conf")]
    [InlineData(new[] { "etc/barman.conf", "etc/barman/barman.conf" }, "etc/barman.conf")]
    [InlineData(new[] { "etc/barman/barman.conf" }, "etc/barman/barman.conf")]
    public void Load_defaults_are_tried_in_barman_order(string[] present, string expected)
    {
        foreach (var p in present)
        {
            WriteConf(p, p);
        }

        var config = ConfigurationLoader.Load(null, Env(), Defaults);

        config.FindServer("pg")!.Description.Should().Be(expected);
        config.ConfigFilePath.Should().Be(Path.Combine(_sandbox.Root, expected));
    }

    [Fact]
    public void Load_default_that_is_a_directory_is_skipped()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox.Home, ".barman.conf"));
        WriteConf("etc/barman.conf", "etc");

        ConfigurationLoader.Load(null, Env(), Defaults).FindServer("pg")!.Description.Should().Be("etc");
    }

    [Fact]
    public void Load_without_any_file_fails_with_barman_text()
    {
        var act = () => ConfigurationLoader.Load(null, Env(), Defaults);

        act.Should().Throw<ConfigurationException>().Which.StderrLines.Should().Equal(
            "Could not find any configuration file at default locations.",
            "Check Barman's documentation for more help.");
    }

    [Theory]
    [InlineData("missing.conf")]
    [InlineData("~/x.conf")]
    public void Load_missing_explicit_file_fails_with_literal_name(string given)
    {
        var path = given.StartsWith('~') ? given : Path.Combine(_sandbox.Root, given);
        var act = () => ConfigurationLoader.Load(path, Env(), Defaults);

        var error = act.Should().Throw<ConfigurationException>().Which;
        error.StderrLines.Should().Equal($"Configuration file '{path}' does not exist");
        error.Message.Should().Be($"Configuration file '{path}' does not exist");
    }

    [Fact]
    public void Load_missing_environment_file_fails_like_explicit()
    {
        var path = Path.Combine(_sandbox.Root, "nope.conf");
        var act = () => ConfigurationLoader.Load(null, Env(path), Defaults);

        act.Should().Throw<ConfigurationException>().Which.Message.Should().Be($"Configuration file '{path}' does not exist");
    }

    [Fact]
    public void Load_public_entry_point_uses_home_from_environment()
    {
        WriteConf("home/.barman.conf", "via-home");
        var env = Env();

        // BARMAN_CONFIG_FILE null, HOME = sandbox: ~/.barman.conf is the first default
        var config = BarmanConfiguration.Load(null, env);

        config.FindServer("pg")!.Description.Should().Be("via-home");
        config.ConfigFileReadPath.Should().Be(Path.Combine(_sandbox.Home, ".barman.conf"));
    }

    [Fact]
    public void Load_file_without_barman_section_fails()
    {
        var path = _sandbox.Write("barman.conf", "[pg]\nconninfo = a=b\n");

        _sandbox.LoadFails(path).StderrLines.Should().Equal("EXCEPTION: No section: 'barman'", "See log file for more details.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("barman_home =\n")]
    [InlineData("barman_home = None\n")]
    public void Load_without_barman_home_fails(string line)
    {
        var path = _sandbox.Write("barman.conf", "[barman]\nbarman_user = barman\n" + line);

        var error = _sandbox.LoadFails(path);

        error.StderrLines.Should().Equal(
            "ERROR: Parameter \"barman_home\" is required in [barman] section.",
            "Your configuration is missing required parameters. Exiting.");
        error.Message.Should().Contain("barman_home").And.Contain(path);
    }
}
