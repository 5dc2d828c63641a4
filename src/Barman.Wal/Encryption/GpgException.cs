using Barman.Wal.Errors;

namespace Barman.Wal.Encryption;

/// <summary>
/// gpg is missing, has no recipient, or failed. The message is Barman's text: <c>gpg not in PATH</c>,
/// the missing-recipient sentence, or the Python rendering of <c>{'ret': …, 'out': …, 'err': …}</c> carrying
/// gpg's own stderr (which names the cause, e.g. <c>No public key</c>) — always one line.
/// </summary>
/// <remarks>archive-wal reports it as Barman does: <c>EXCEPTION: &lt;message&gt;</c>, exit 1.</remarks>
public sealed class GpgException(string message) : BarmanWalException(message);
