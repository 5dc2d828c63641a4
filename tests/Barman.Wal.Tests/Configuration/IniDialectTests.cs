using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class IniDialectTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("description = plain", "plain")]
    [InlineData("description: colon delimiter", "colon delimiter")]
    [InlineData("description    =    spaced   ", "spaced")]
    [InlineData("DESCRIPTION = upper key", "upper key")]
    [InlineData("description = abc # not a comment", "abc # not a comment")]
    [InlineData("description = abc ; not a comment", "abc ; not a comment")]
    [InlineData("description = \"quoted\"", "quoted")]
    [InlineData("description = 'single'", "single")]
    [InlineData("description = \"mismatched'", "\"mismatched'")]
    [InlineData("description = \"\"twice\"\"", "\"twice\"")]
    [InlineData("description = a = b", "a = b")]
    [InlineData("description = a: b", "a: b")]
    [InlineData("description = first\ndescription = last", "last")]
    [InlineData("description = line1\n  line2\n\tline3", "line1\nline2\nline3")]
    [InlineData("description = a\n  b\n    # dropped comment\n\n  c", "a\nb\n\nc")]
    [InlineData("description = a\n\n", "a")]
    [InlineData("  # indented comment\ndescription = x", "x")]
    public void Load_value_syntax_yields_configparser_value(string line, string expected)
    {
        var server = _sandbox.LoadServer(line);

        server.Description.Should().Be(expected);
    }

    [Fact]
    public void Load_empty_value_blocks_text_option()
    {
        _sandbox.LoadServer("description =").Description.Should().BeNull();
    }

    [Fact]
    public void Load_section_names_are_case_sensitive()
    {
        var config = _sandbox.Load(_sandbox.WriteMain("[pg]\nconninfo = a=b\n[PG]\nconninfo = a=c\n"));

        config.Servers.Select(s => s.Name).Should().Equal("pg", "PG");
        config.FindServer("Pg").Should().BeNull();
    }

    [Fact]
    public void Load_duplicate_sections_merge_and_last_key_wins()
    {
        var config = _sandbox.Load(_sandbox.WriteMain(
            "[pg]\nconninfo = a=b\ndescription = one\n[other]\nconninfo = x=y\n[pg]\ndescription = two\n"));

        config.Servers.Select(s => s.Name).Should().Equal("pg", "other");
        config.FindServer("pg")!.Description.Should().Be("two");
        config.FindServer("pg")!.Conninfo.Should().Be("a=b");
    }

    [Fact]
    public void Load_key_without_delimiter_fails_with_barman_parse_error()
    {
        var path = _sandbox.Write("barman.conf", "[barman]\nbarman_home = /x\n\n[pg]\nconninfo = a=b\narchiver\n");

        var error = _sandbox.LoadFails(path);

        error.StderrLines.Should().Equal(
            $"EXCEPTION: Source contains parsing errors: '{path}'",
            "\t[line  6]: 'archiver\\n'",
            "See log file for more details.");
        error.Message.Should().NotContain("\n").And.Contain(path).And.Contain("archiver");
    }

    [Fact]
    public void Load_several_parse_errors_are_all_listed()
    {
        var path = _sandbox.Write("barman.conf", "[barman]\nbarman_home = /x\nfoo\n[pg]\n= value\nbar");

        var error = _sandbox.LoadFails(path);

        error.StderrLines.Should().Equal(
            $"EXCEPTION: Source contains parsing errors: '{path}'",
            "\t[line  3]: 'foo\\n'",
            "\t[line  5]: '= value\\n'",
            "\t[line  6]: 'bar'",
            "See log file for more details.");
    }

    [Fact]
    public void Load_text_before_first_section_fails()
    {
        var path = _sandbox.Write("barman.conf", "barman_home = /x\n[barman]\n");

        var error = _sandbox.LoadFails(path);

        error.StderrLines[0].Should().Be("EXCEPTION: File contains no section headers.");
        error.Message.Should().Contain(path).And.Contain("line 1");
    }

    [Fact]
    public void Load_crlf_line_endings_are_accepted()
    {
        var config = _sandbox.Load(_sandbox.Write("barman.conf",
            "[barman]\r\nbarman_home = @BH@\r\n[pg]\r\nconninfo = host=a\r\narchiver = on\r\n"));

        config.FindServer("pg")!.Archiver.Should().BeTrue();
        config.FindServer("pg")!.Conninfo.Should().Be("host=a");
    }

    [Fact]
    public void Load_literal_None_becomes_empty_and_blocks_text_option()
    {
        var server = _sandbox.LoadServer("path_prefix = None", global: "path_prefix = /usr/lib/postgresql/17/bin");

        server.PathPrefix.Should().BeNull();
        server.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Load_quoted_None_is_unset_too()
    {
        _sandbox.LoadServer("description = \"None\"").Description.Should().BeNull();
    }

    [Fact]
    public void Load_main_file_DEFAULT_reaches_barman_and_every_main_server()
    {
        var config = _sandbox.Load(_sandbox.Write("barman.conf",
            "[DEFAULT]\nfancy = 1\narchiver = on\n[barman]\nbarman_home = @BH@\n[a]\nconninfo = x=y\n[b]\nconninfo = x=y\narchiver = off\n"));

        config.Warnings.Should().Equal(
            "Invalid configuration option \"fancy\" in [barman] section.",
            "Invalid configuration option \"fancy\" in [a] section.",
            "Invalid configuration option \"fancy\" in [b] section.");
        config.FindServer("a")!.Archiver.Should().BeTrue();
        config.FindServer("a")!.ArchiverForced.Should().BeFalse();
        config.FindServer("b")!.ArchiverForced.Should().BeTrue();
    }
}
