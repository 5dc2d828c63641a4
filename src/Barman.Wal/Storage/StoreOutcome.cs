namespace Barman.Wal.Storage;

/// <summary>What storing one WAL file came to (spec: storage §2).</summary>
public enum StoreOutcome
{
    /// <summary>Stored; the record describes the stored object.</summary>
    Stored,

    /// <summary>Already stored with identical content; nothing written, the source may go.</summary>
    MatchingDuplicate,

    /// <summary>Already stored with different or uncomparable content; the source goes to errors.</summary>
    Duplicate,
}
