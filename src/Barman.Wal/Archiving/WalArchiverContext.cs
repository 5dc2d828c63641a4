using Barman.Wal.Catalog;
using Barman.Wal.Hooks;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Serilog;

namespace Barman.Wal.Archiving;

/// <summary>Everything an archiver of one server works with; built once per server by the host.</summary>
public sealed record WalArchiverContext(
    string ServerName,
    XlogDb Catalog,
    WalStorageStrategy Storage,
    IArchiveHooks Hooks,
    ErrorsDirectory Errors,
    IWalContentReader Reader,
    BarmanOutput Output,
    ILogger Logger,
    int Parallelism)
{
    /// <summary>Header validation before staging (spec wal-names §7), null when turned off.</summary>
    public WalHeaderGate? HeaderGate { get; init; }

    /// <summary>When a short segment may still be being written (default: never, only the after-staging check).</summary>
    public GrowingSegmentPolicy Growing { get; init; } = new(TimeSpan.Zero, TimeProvider.System);
}
