namespace Barman.Wal.Streaming;

/// <summary>A located pg_receivewal (or pg_receivexlog) and the version its <c>--version</c> printed.</summary>
/// <param name="Path">Absolute path of the binary.</param>
/// <param name="VersionText">The version, e.g. <c>15.20</c>; null when unrecognised.</param>
/// <param name="Major">The major version (<c>15</c>, <c>9.6</c>); null when unknown.</param>
public sealed record PgReceiveWalBinary(string Path, string? VersionText, Version? Major);
