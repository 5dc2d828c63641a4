using System.Globalization;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>An OS account read from /etc/passwd.</summary>
public sealed record OsUser(string Name, int Uid, int Gid, string HomeDirectory = "/")
{
    /// <summary>The unprivileged OS user the end-to-end tests run barman-wal as (scripts/install-test-prereqs.sh).</summary>
    public const string ToolUserName = "barman";

    private static readonly Lazy<OsUser?> ToolUserLazy = new(() =>
        Prerequisites.IsRoot ? Find(ToolUserName, "the 'barman' user") : null);

    /// <summary>
    /// The <c>barman_user</c> of the end-to-end tests: the OS user <c>barman</c> when the tests run as root
    /// (the tool is then run as that user, as in production), null otherwise (the tool runs as the test user).
    /// </summary>
    public static OsUser? ToolUser => ToolUserLazy.Value;

    /// <summary>Looks an account up by name, or fails naming what to install.</summary>
    public static OsUser Find(string name, string debianPackage)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 5 && f[0] == name)
            {
                return new OsUser(
                    name, int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture), f[5]);
            }
        }

        throw new PrerequisiteMissingException($"OS user '{name}' not found: install {debianPackage} (run scripts/install-test-prereqs.sh as root)");
    }

    /// <summary>Gives <paramref name="paths"/> (recursively) to this user: <c>chown -R uid:gid</c>.</summary>
    public void Own(params string[] paths)
    {
        if (paths.Length == 0)
            return;
        var r = ProcessRunner.RunAsync("chown", ["-R", $"{Uid}:{Gid}", "--", .. paths], timeout: TimeSpan.FromSeconds(60))
            .GetAwaiter().GetResult();
        // a read-only mount a test put in the tree keeps the owner it had when it was mounted
        if (r.ExitCode != 0 && !r.StderrLines.All(l => l.EndsWith(": Read-only file system", StringComparison.Ordinal)))
            throw new InvalidOperationException($"chown -R {Name} {string.Join(' ', paths)} failed: {r}");
    }
}
