using Barman.Wal.Errors;

namespace Barman.Wal.Streaming;

/// <summary>A receive-wal failure printed as a plain <c>ERROR: &lt;message&gt;</c> line, exit 1.</summary>
public sealed class ReceiveWalException(string message, Exception? innerException = null)
    : BarmanWalException(message, innerException);
