using Barman.Wal.Configuration;
using Barman.Wal.Storage;

namespace Barman.Wal.Restore;

/// <summary>A server's archive as get-wal reads it: the storage strategy and the stored-bytes decoder.</summary>
/// <param name="Server">The server's options (incoming and streaming directories, validation).</param>
/// <param name="Storage">Where archived WAL is kept (local directory or S3).</param>
/// <param name="Decoder">Stored bytes to plain WAL: gpg, then the codec by magic.</param>
/// <param name="IsCloud">True for an <c>s3://</c> archive (its failures get exit code 4).</param>
public sealed record RestoreArchive(ServerOptions Server, WalStorageStrategy Storage, StoredWalDecoder Decoder, bool IsCloud);
