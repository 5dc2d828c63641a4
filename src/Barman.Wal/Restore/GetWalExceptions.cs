using Barman.Wal.Errors;

namespace Barman.Wal.Restore;

/// <summary>Exit codes of get-wal beyond <see cref="ExitCodes"/> (spec: get-wal §2, §8.3).</summary>
public static class GetWalExitCodes
{
    /// <summary>Not a WAL name, or the <c>-o</c> file cannot be opened (Barman's 3).</summary>
    public const int BadRequest = 3;

    /// <summary>The cloud provider failed (unreachable, denied): barman-cloud-wal-restore's 4; PostgreSQL takes it as "not available" and does not abort.</summary>
    public const int CloudFailure = 4;
}

/// <summary>A get-wal failure printed as one <c>ERROR:</c> line with its exit code.</summary>
public sealed class GetWalException(string message, int exitCode = ExitCodes.Failure, Exception? inner = null)
    : BarmanWalException(message, inner)
{
    /// <inheritdoc />
    public override int ExitCode => exitCode;
}

/// <summary>A restored file failed verification (e.g. a segment of the wrong size): nothing was delivered.</summary>
public sealed class RestoredWalInvalidException(string message) : BarmanWalException(message);
