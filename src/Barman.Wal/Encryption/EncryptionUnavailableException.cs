using Barman.Wal.Errors;

namespace Barman.Wal.Encryption;

/// <summary>The configured encryption cannot be applied (only <c>gpg</c> exists).</summary>
public sealed class EncryptionUnavailableException(string encryption)
    : BarmanWalException($"encryption = {encryption} is not supported by barman-wal");
