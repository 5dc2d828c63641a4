using System.CommandLine;
using Barman.Wal.Hosting;
using Barman.Wal.Output;

namespace Barman.Wal.Cli;

/// <summary>Barman's global options, given before the sub-command.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "uses a configuration file (defaults: ~/.barman.conf, /etc/barman.conf, /etc/barman/barman.conf)",
        HelpName = "CONFIG",
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "be quiet" };

    public static readonly Option<bool> Debug = new("--debug", "-d") { Description = "debug output" };

    public static readonly Option<string> Format = new("--format", "-f")
    {
        Description = "output format",
        DefaultValueFactory = _ => "console",
        HelpName = "{json,console}",
    };

    public static readonly Option<string> Color = new("--color", "--colour")
    {
        Description = "whether to use colors in the output",
        DefaultValueFactory = _ => "auto",
        HelpName = "{never,always,auto}",
    };

    public static readonly Option<string?> LogLevel = new("--log-level")
    {
        Description = "override the default log level",
        HelpName = "{NOTSET,DEBUG,INFO,WARNING,ERROR,CRITICAL}",
    };

    public static readonly Option<bool> Version = new("--version", "-v") { Description = "show program's version number and exit" };

    static GlobalOptions()
    {
        Format.AcceptOnlyFromAmong("json", "console");
        Color.AcceptOnlyFromAmong("never", "always", "auto");
        LogLevel.AcceptOnlyFromAmong("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");
    }

    public static IEnumerable<Option> All => [Config, Quiet, Debug, Format, Color, LogLevel, Version];

    public static RunOptions Read(ParseResult result) => new(
        result.GetValue(Config),
        result.GetValue(Quiet),
        result.GetValue(Debug),
        result.GetValue(Format) == "json" ? OutputFormat.Json : OutputFormat.Console,
        result.GetValue(Color) ?? "auto",
        result.GetValue(LogLevel));
}
