using Barman.Wal.Errors;

namespace Barman.Wal.Receiving;

/// <summary>A put-wal stream was refused (bad member, checksum problem): <c>ERROR: &lt;line&gt;</c>, exit 1.</summary>
public sealed class PutWalException(string message) : BarmanWalException(message);
