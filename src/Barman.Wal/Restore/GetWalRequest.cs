namespace Barman.Wal.Restore;

/// <summary>One <c>get-wal</c> call (spec: get-wal §1), plus barman-wal's prefetch.</summary>
/// <param name="Server">SERVER_NAME.</param>
/// <param name="WalName">WAL_NAME as given.</param>
public sealed record GetWalRequest(string Server, string WalName)
{
    /// <summary><c>-o DIR</c>: write <c>DIR/WAL_NAME</c> instead of stdout.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary><c>-P</c>: also look for <c>.partial</c> files.</summary>
    public bool Partial { get; init; }

    /// <summary><c>-z</c> (gzip) or <c>-j</c> (bzip2): the output compression, else null.</summary>
    public string? OutputCompression { get; init; }

    /// <summary><c>--keep-compression</c>: send the stored (decrypted) bytes as they are.</summary>
    public bool KeepCompression { get; init; }

    /// <summary><c>--peek N</c>: list up to N names instead of sending data.</summary>
    public int? Peek { get; init; }

    /// <summary><c>--test</c>: configuration check only.</summary>
    public bool Test { get; init; }

    /// <summary><c>--prefetch N</c>: after delivering a segment, fetch the next N into the spool (0 = off).</summary>
    public int Prefetch { get; init; }

    /// <summary><c>--spool-dir DIR</c>: the prefetch spool, else <see cref="PrefetchSpool.DefaultDirectory"/>.</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>True in the detached prefetch process: fetch the names after WAL_NAME into the spool, deliver nothing.</summary>
    public bool PrefetchWorker { get; init; }

    /// <summary>The segment size the names after WAL_NAME are computed with (worker only; 0 = 16 MiB).</summary>
    public long SegmentSize { get; init; }

    /// <summary>Opens the process's standard output as a raw byte stream (WAL bytes are never text).</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = () => Stream.Null;

    /// <summary>The command that starts this tool again (executable and leading arguments, e.g. <c>-c CONFIG</c>), for the prefetch worker.</summary>
    public IReadOnlyList<string>? SelfCommand { get; init; }

    /// <summary>The value of <c>SSH_CONNECTION</c> (Barman adds <c> (SSH host: …)</c> to its messages).</summary>
    public string? SshConnection { get; init; }
}
