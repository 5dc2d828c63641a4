using System.Globalization;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>An OS account read from /etc/passwd.</summary>
public sealed record OsUser(string Name, int Uid, int Gid)
{
    /// <summary>Looks an account up by name, or fails naming what to install.</summary>
    public static OsUser Find(string name, string debianPackage)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name)
            {
                return new OsUser(name, int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture));
            }
        }

        throw new PrerequisiteMissingException($"OS user '{name}' not found: install {debianPackage} (run scripts/install-test-prereqs.sh as root)");
    }
}
