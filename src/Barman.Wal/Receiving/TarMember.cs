namespace Barman.Wal.Receiving;

/// <summary>One member of a tar stream, as its headers (ustar, GNU long name, PAX) describe it.</summary>
/// <param name="Name">The member name, PAX <c>path</c> or GNU long name applied.</param>
/// <param name="TypeFlag">The header's type byte (<c>'0'</c>, <c>'\0'</c>, <c>'5'</c>, ...).</param>
/// <param name="Size">The data size in bytes.</param>
/// <param name="ModifiedTime">The modification time, fractional seconds kept when a PAX header gives them.</param>
public sealed record TarMember(string Name, byte TypeFlag, long Size, DateTime ModifiedTime)
{
    /// <summary>True for the types Barman treats as a regular file: <c>'0'</c>, NUL and <c>'7'</c> (contiguous).</summary>
    public bool IsRegularFile => TypeFlag is (byte)'0' or 0 or (byte)'7';
}
