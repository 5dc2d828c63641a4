namespace Barman.Wal.Configuration;

/// <summary>Which parser Barman applies to an option's text.</summary>
internal enum OptionKind
{
    /// <summary>No parser: the text itself (empty blocks inheritance and the default).</summary>
    Text,
    Bool,
    Int,
    Interval,
    Size,
    Compression,
    CompressionLevel,
    Encryption,
    SlotName,
    CreateSlot,
    BackupMethod,
    ReuseBackup,
    BackupCompression,
    BackupCompressionFormat,
    BackupCompressionLocation,
    BackupOptions,
    RecoveryOptions,
    StagingPath,
    SnapshotDisks,
}
