using Barman.Wal.Errors;

namespace Barman.Wal.Encryption;

/// <summary>
/// <c>encryption = gpg</c> with a 3.4–3.12 4-column catalog: the encryption column cannot be written, so
/// barman-wal refuses to archive rather than store files no catalog reader would know are encrypted
/// (spec: xlogdb §6).
/// </summary>
public sealed class LegacyCatalogEncryptionException(string server, string catalogPath)
    : BarmanWalException(
        $"encryption = gpg cannot be used for server {server}: its WAL catalog {catalogPath} is in the legacy 4-column format (Barman < 3.13), which has no encryption column");
