namespace Barman.Wal.Encryption;

/// <summary>
/// gpg is missing, has no recipient, or failed. The message is Barman's text: <c>gpg not in PATH</c>,
/// the missing-recipient sentence, or the Python rendering of <c>{'ret': …, 'out': …, 'err': …}</c> carrying
/// gpg's own stderr (which names the cause, e.g. <c>No public key</c>).
/// </summary>
/// <remarks>
/// Deliberately not a <see cref="Errors.BarmanWalException"/>: Barman reports these as unexpected exceptions
/// (<c>EXCEPTION: …</c> + <c>See log file for more details.</c>, traceback in the log, exit 1), and the CLI's
/// runner renders exactly that for exceptions outside the BarmanWalException family.
/// </remarks>
public sealed class GpgException(string message) : Exception(message);
