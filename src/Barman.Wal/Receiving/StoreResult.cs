namespace Barman.Wal.Receiving;

/// <summary>What happened to one validated file.</summary>
/// <param name="Kind">Stored, or which kind of duplicate.</param>
/// <param name="ExistingDigest">For a duplicate, the digest of the file already in incoming.</param>
/// <param name="Path">Where the received bytes now are: the incoming file, or the errors copy (null when it could not be kept).</param>
public sealed record StoreResult(StoreResultKind Kind, string? ExistingDigest, string? Path);
