using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>
/// A passphrase-protected ed25519/cv25519 key in two GNUPGHOMEs: root's (archive-wal encrypts with it) and a
/// copy owned by the postgres OS user (restore_command decrypts with it).
/// </summary>
public sealed class PostgresGpgKeys : IDisposable
{
    public const string Passphrase = "restore-secret";

    private PostgresGpgKeys(string archiverHome, string restoreHome, string fingerprint)
    {
        ArchiverHome = archiverHome;
        RestoreHome = restoreHome;
        Fingerprint = fingerprint;
    }

    public string ArchiverHome { get; }

    public string RestoreHome { get; }

    public string Fingerprint { get; }

    public IReadOnlyDictionary<string, string?> ArchiverEnvironment => new Dictionary<string, string?> { ["GNUPGHOME"] = ArchiverHome };

    public IReadOnlyDictionary<string, string?> RestoreEnvironment => new Dictionary<string, string?> { ["GNUPGHOME"] = RestoreHome };

    /// <summary>Generates the key; the postgres copy goes below <paramref name="postgresOwnedDirectory"/>.</summary>
    public static async Task<PostgresGpgKeys> CreateAsync(string postgresOwnedDirectory)
    {
        var gpg = Prerequisites.Program("gpg", "gnupg");
        var home = Directory.CreateTempSubdirectory("bw-restore-gpg-").FullName;
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string?> { ["GNUPGHOME"] = home };
        async Task<string> Gpg(params string[] arguments)
        {
            var r = await ProcessRunner.RunAsync(gpg, ["--batch", "--pinentry-mode", "loopback", "--passphrase", Passphrase, .. arguments], env, timeout: TimeSpan.FromSeconds(60));
            r.ExitCode.Should().Be(0, r.ToString());
            return r.Stdout;
        }

        await Gpg("--quick-generate-key", "Restore Test <restore@barman-wal.test>", "ed25519", "cert", "never");
        var fingerprint = (await Gpg("--with-colons", "--list-keys", "restore@barman-wal.test"))
            .Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        await Gpg("--quick-add-key", fingerprint, "cv25519", "encr", "never");
        await ProcessRunner.RunAsync("gpgconf", ["--kill", "gpg-agent"], env, timeout: TimeSpan.FromSeconds(10));
        var copy = Path.Combine(postgresOwnedDirectory, "gnupg-" + Guid.NewGuid().ToString("N")[..8]);
        (await ProcessRunner.RunAsync("cp", ["-a", home, copy])).ExitCode.Should().Be(0);
        foreach (var socket in Directory.GetFiles(copy, "S.*"))
            File.Delete(socket);
        if (Prerequisites.IsRoot)
            (await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", copy])).ExitCode.Should().Be(0);
        return new PostgresGpgKeys(home, copy, fingerprint);
    }

    public void Dispose()
    {
        ProcessRunner.RunAsync("gpgconf", ["--kill", "gpg-agent"], ArchiverEnvironment, timeout: TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        PostgresUser.RunAsync("/usr/bin/env", ["GNUPGHOME=" + RestoreHome, "gpgconf", "--kill", "gpg-agent"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        Directory.Delete(ArchiverHome, recursive: true);
        Directory.Delete(RestoreHome, recursive: true);
    }
}
