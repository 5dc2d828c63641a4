namespace Barman.Wal.Receiving;

/// <summary>One <c>put-wal</c> invocation.</summary>
/// <param name="Server">The server name from the command line.</param>
/// <param name="Test">With <c>--test</c>: check the server is ready, read nothing.</param>
/// <param name="Input">The tar stream (stdin).</param>
/// <param name="SshConnection">The value of <c>SSH_CONNECTION</c>, when put-wal runs under ssh.</param>
public sealed record PutWalRequest(string Server, bool Test, Stream Input, string? SshConnection);
