namespace Barman.Wal.Xlog;

/// <summary>What <see cref="WalHeaderValidator"/> found wrong with a WAL file's header.</summary>
public enum WalHeaderProblem
{
    /// <summary>Nothing: the header agrees with the name and the server.</summary>
    None,

    /// <summary>A valid header of another PostgreSQL system (its system identifier differs).</summary>
    Foreign,

    /// <summary>
    /// Short (or not decodable yet) and modified recently: it may still be being written, as by a plain
    /// <c>cp</c> archive_command, so it is not judged before it settles.
    /// </summary>
    Incomplete,

    /// <summary>Too short, not a WAL header, or a header that contradicts the file's name.</summary>
    Corrupt,
}
