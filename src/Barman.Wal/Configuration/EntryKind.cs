namespace Barman.Wal.Configuration;

/// <summary>What a path names after following symbolic links.</summary>
internal enum EntryKind
{
    Missing,
    File,
    Other,
}
