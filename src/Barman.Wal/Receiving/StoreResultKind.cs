namespace Barman.Wal.Receiving;

/// <summary>The outcome of committing one received file to <c>incoming</c>.</summary>
public enum StoreResultKind
{
    /// <summary>Moved to its final name; the directory is fsynced.</summary>
    Stored,

    /// <summary>The same bytes are already in incoming: nothing written.</summary>
    IdenticalDuplicate,

    /// <summary>Different bytes are in incoming under that name: the received copy went to the errors directory.</summary>
    MismatchedDuplicate,
}
