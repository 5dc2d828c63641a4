namespace Barman.Wal.Errors;

/// <summary>Every exit code barman-wal returns; they are Barman's.</summary>
public static class ExitCodes
{
    /// <summary>Success, nothing to do, lock busy, inactive server, duplicates handled.</summary>
    public const int Success = 0;

    /// <summary>Any error: configuration, unknown server, archiving failure, interrupted.</summary>
    public const int Failure = 1;

    /// <summary>Command-line usage errors (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>Nagios-style WARNING (check --nagios with warnings only).</summary>
    public const int NagiosWarning = 1;

    /// <summary>Nagios-style CRITICAL (check --nagios with a failed critical check).</summary>
    public const int NagiosCritical = 2;

    /// <summary>verify-wal found at least one problem in an archive (1 means an archive could not be verified).</summary>
    public const int ProblemsFound = 3;
}
