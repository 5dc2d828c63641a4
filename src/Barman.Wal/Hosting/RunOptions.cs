using Barman.Wal.Output;

namespace Barman.Wal.Hosting;

/// <summary>Barman's global command-line options, as parsed by the CLI.</summary>
public sealed record RunOptions(
    string? ConfigFile,
    bool Quiet,
    bool Debug,
    OutputFormat Format,
    string Color,
    string? LogLevel);
