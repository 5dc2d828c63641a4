namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// Locates the external programs the tests use; a missing one fails the test with a single
/// line that says what to install.
/// </summary>
public static class Prerequisites
{
    /// <summary>Where Debian's postgresql-15 puts its server binaries (not on PATH).</summary>
    public const string PostgresBinDirectory = "/usr/lib/postgresql/15/bin";

    private const string InstallHint = "run scripts/install-test-prereqs.sh as root";

    /// <summary>The absolute path of a PostgreSQL 15 binary (initdb, pg_ctl, pgbench, pg_receivewal, ...).</summary>
    public static string PostgresBinary(string name)
    {
        var path = Path.Combine(PostgresBinDirectory, name);
        if (!File.Exists(path))
        {
            throw new PrerequisiteMissingException($"{path} not found: install postgresql-15 ({InstallHint})");
        }

        return path;
    }

    /// <summary>The absolute path of a program on PATH, or a failure naming the Debian package.</summary>
    public static string Program(string name, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new PrerequisiteMissingException($"{name} not found on PATH: install {debianPackage} ({InstallHint})");
    }

    /// <summary>True when the tests run as root (then PostgreSQL must run as the postgres OS user).</summary>
    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    private static uint GetEuid()
    {
        // /proc/self/status: "Uid:\treal\teffective\tsaved\tfs"
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return uint.MaxValue;
    }
}
