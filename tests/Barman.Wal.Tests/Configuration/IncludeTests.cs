using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class IncludeTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Main(string extra = "") =>
        _sandbox.WriteMain(extra, global: "configuration_files_directory = @ROOT@/conf.d");

    private void Server(string file, string name, string body = "") =>
        _sandbox.Write("conf.d/" + file, $"[{name}]\nconninfo = host={name}\n{body}");

    [Fact]
    public void Load_includes_conf_files_sorted_by_name()
    {
        Server("b.conf", "beta");
        Server("a.conf", "alpha");
        Server("C.conf", "charlie");

        var config = _sandbox.Load(Main());

        config.Servers.Select(s => s.Name).Should().Equal("charlie", "alpha", "beta");
        config.IncludedFiles.Select(Path.GetFileName).Should().Equal("C.conf", "a.conf", "b.conf");
    }

    [Fact]
    public void Load_later_file_overrides_earlier_key_by_key()
    {
        Server("1.conf", "pg", "description = first\narchiver = on");
        _sandbox.Write("conf.d/2.conf", "[pg]\ndescription = second\n");

        var server = _sandbox.Load(Main()).FindServer("pg")!;

        server.Description.Should().Be("second");
        server.Archiver.Should().BeTrue();
    }

    [Theory]
    [InlineData("x.CONF")]
    [InlineData(".hidden.conf")]
    [InlineData("x.conf.bak")]
    [InlineData("x.cfg")]
    [InlineData(".conf")]
    public void Load_ignores_names_the_glob_does_not_match(string file)
    {
        Server(file, "ignored");

        _sandbox.Load(Main()).FindServer("ignored").Should().BeNull();
    }

    [Fact]
    public void Load_skips_directory_named_conf_with_log_warning()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox.Root, "conf.d", "sub.conf"));
        Server("z.conf", "pg");

        var config = _sandbox.Load(Main());

        config.LogWarnings.Should().Equal("Discarding configuration file: sub.conf (not a file)");
        config.Warnings.Should().BeEmpty();
        config.FindServer("pg").Should().NotBeNull();
    }

    [Fact]
    public void Load_follows_symlink_to_file_and_reports_broken_one()
    {
        Server("../real.conf", "linked");
        Directory.CreateDirectory(Path.Combine(_sandbox.Root, "conf.d"));
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "conf.d", "l.conf"), Path.Combine(_sandbox.Root, "real.conf"));
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "conf.d", "broken.conf"), Path.Combine(_sandbox.Root, "nothing"));

        var config = _sandbox.Load(Main());

        config.FindServer("linked").Should().NotBeNull();
        config.LogWarnings.Should().Equal("Discarding configuration file: broken.conf (not found)");
    }

    [Fact]
    public void Load_directory_that_does_not_exist_is_ignored_with_log_warning()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(global: "configuration_files_directory = /nonexistent/dir"));

        config.LogWarnings.Should().Equal(
            "Ignoring the \"configuration_files_directory\" option as \"/nonexistent/dir\" is not a directory");
        config.Servers.Should().BeEmpty();
    }

    [Fact]
    public void Load_empty_directory_option_loads_nothing()
    {
        Server("a.conf", "pg");

        var config = _sandbox.Load(_sandbox.WriteMain(global: "configuration_files_directory ="));

        config.Servers.Should().BeEmpty();
        config.LogWarnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_directory_option_is_tilde_expanded()
    {
        _sandbox.Write("home/barman.d/a.conf", "[pg]\nconninfo = a=b\n");

        var config = _sandbox.Load(_sandbox.WriteMain(global: "configuration_files_directory = ~/barman.d"));

        config.FindServer("pg").Should().NotBeNull();
        config.Global.ConfigurationFilesDirectory.Should().Be("~/barman.d");
    }

    [Fact]
    public void Load_include_that_changes_barman_section_is_fatal()
    {
        _sandbox.Write("conf.d/a.conf", "[barman]\ncompression = gzip\n");

        var error = _sandbox.LoadFails(Main());

        error.StderrLines.Should().Equal("FATAL: the configuration file a.conf contains a not empty [barman] section");
        error.Message.Should().Contain("a.conf").And.Contain("[barman]");
    }

    [Fact]
    public void Load_include_that_overrides_barman_key_with_other_value_is_fatal()
    {
        _sandbox.Write("conf.d/a.conf", "[barman]\nbarman_home = /elsewhere\n");

        _sandbox.LoadFails(Main()).StderrLines.Should().Equal(
            "FATAL: the configuration file a.conf contains a not empty [barman] section");
    }

    [Fact]
    public void Load_include_repeating_barman_section_unchanged_is_accepted()
    {
        _sandbox.Write("conf.d/a.conf", $"[barman]\nbarman_home = {_sandbox.BarmanHome}\n[pg]\nconninfo = a=b\n");
        _sandbox.Write("conf.d/b.conf", "[barman]\n[other]\nconninfo = a=b\n");

        _sandbox.Load(Main()).Servers.Select(s => s.Name).Should().Equal("pg", "other");
    }

    [Fact]
    public void Load_include_DEFAULT_reaching_barman_section_is_fatal()
    {
        _sandbox.Write("conf.d/a.conf", "[DEFAULT]\narchiver = on\n[barman]\n");

        _sandbox.LoadFails(Main()).StderrLines.Should().ContainSingle().Which.Should().StartWith("FATAL:");
    }

    [Fact]
    public void Load_DEFAULT_applies_only_to_sections_of_its_own_file()
    {
        _sandbox.Write("conf.d/a.conf", "[included]\nconninfo = a=b\n");

        var config = _sandbox.Load(_sandbox.Write("barman.conf",
            "[DEFAULT]\ndescription = from default\n[barman]\nbarman_home = @BH@\nconfiguration_files_directory = @ROOT@/conf.d\n[main]\nconninfo = a=b\n"));

        config.FindServer("main")!.Description.Should().Be("from default");
        config.FindServer("included")!.Description.Should().BeNull();
        // the main file's [DEFAULT] reaches [barman] too; description is a valid [barman] key
        config.Warnings.Should().BeEmpty();
        config.Global.Raw.Should().ContainKey("description");
    }

    [Fact]
    public void Load_interpolation_in_include_uses_that_files_DEFAULT()
    {
        _sandbox.Write("conf.d/a.conf", "[DEFAULT]\nhost = h1\n[inc]\nconninfo = host=%(host)s\n");

        var config = _sandbox.Load(Main());

        config.FindServer("inc")!.Conninfo.Should().Be("host=h1");
        config.FindServer("inc")!.Warnings.Should().Equal("Invalid configuration option \"host\" in [inc] section.");
    }

    [Fact]
    public void Load_parse_error_in_include_names_that_file()
    {
        var bad = _sandbox.Write("conf.d/a.conf", "[pg]\nnot an option\n");

        var error = _sandbox.LoadFails(Main());

        error.StderrLines[0].Should().Be($"EXCEPTION: Source contains parsing errors: '{bad}'");
    }

    [Fact]
    public void Load_reads_barman_auto_conf_last()
    {
        Server("a.conf", "pg", "description = from include");
        _sandbox.Write("bh/.barman.auto.conf", "[pg]\ndescription = from auto\n");

        var config = _sandbox.Load(Main());

        config.FindServer("pg")!.Description.Should().Be("from auto");
        config.IncludedFiles.Last().Should().EndWith(".barman.auto.conf");
    }
}
