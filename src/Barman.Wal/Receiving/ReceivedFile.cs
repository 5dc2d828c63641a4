namespace Barman.Wal.Receiving;

/// <summary>A member written to its hidden temporary file in <c>incoming</c>, with both digests of its bytes.</summary>
/// <param name="Name">The member (and final) name.</param>
/// <param name="TempPath">The hidden temporary file, <c>&lt;incoming&gt;/.&lt;pid&gt;-&lt;name&gt;</c>.</param>
/// <param name="Md5">Lower-case hex MD5 of the bytes received.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes received.</param>
public sealed record ReceivedFile(string Name, string TempPath, string Md5, string Sha256)
{
    /// <summary>The digest under the stream's algorithm.</summary>
    public string Digest(bool md5) => md5 ? Md5 : Sha256;
}
