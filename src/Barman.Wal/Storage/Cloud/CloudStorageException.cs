using Barman.Wal.Errors;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// The cloud provider could not be reached or refused a request (server down, timeout, credentials,
/// missing bucket, cut upload); the one-line message names the WAL, the object and the cause.
/// Nothing is removed from the source when this is thrown.
/// </summary>
public sealed class CloudStorageException(string message, Exception? innerException = null)
    : BarmanWalException(message, innerException);
