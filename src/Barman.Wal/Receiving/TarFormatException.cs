namespace Barman.Wal.Receiving;

/// <summary>
/// The stream on stdin is not a readable tar: empty, a truncated or invalid header, or data cut short.
/// Shown as Barman shows it, <c>EXCEPTION: &lt;reason&gt;</c> and exit 1 (spec: put-wal §3.1).
/// </summary>
public sealed class TarFormatException(string reason) : Exception(reason)
{
    /// <summary>No byte at all on stdin.</summary>
    public static TarFormatException Empty() => new("empty file");

    /// <summary>The stream ended inside a 512-byte header block.</summary>
    public static TarFormatException TruncatedHeader() => new("truncated header");

    /// <summary>A header block whose numeric fields do not parse (not a tar).</summary>
    public static TarFormatException InvalidHeader() => new("invalid header");

    /// <summary>A header block whose checksum does not match its content.</summary>
    public static TarFormatException BadChecksum() => new("bad checksum");

    /// <summary>The stream ended inside a member's data or padding.</summary>
    public static TarFormatException UnexpectedEnd() => new("unexpected end of data");
}
