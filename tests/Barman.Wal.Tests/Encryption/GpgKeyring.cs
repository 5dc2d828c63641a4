using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Encryption;

/// <summary>
/// A temporary GNUPGHOME with two freshly generated keys: RSA 2048 without passphrase and ed25519/cv25519
/// protected by <see cref="EccPassphrase"/>. The agent caches no passphrase, so every decryption asks.
/// GNUPGHOME is set for this test process (only the gpg tests use gpg); child CLI runs get
/// <see cref="ToolHome"/>: when the tool runs as the unprivileged <c>barman</c> user, a copy of the keyring
/// owned by that user (gpg wants its own homedir, and its own agent).
/// </summary>
public sealed class GpgKeyring : IDisposable
{
    public const string EccPassphrase = "correct horse";

    public GpgKeyring()
    {
        Gpg = Prerequisites.Program("gpg", "gnupg");
        Home = Directory.CreateTempSubdirectory("bw-gpg-").FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(Home, "gpg-agent.conf"), "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n");
        File.WriteAllText(Path.Combine(Home, "gpg.conf"), "auto-key-locate local\n");
        Environment.SetEnvironmentVariable("GNUPGHOME", Home);
        RsaFingerprint = Generate("RSA Test <rsa@barman-wal.test>", "rsa2048", "rsa2048", passphrase: "");
        EccFingerprint = Generate("ECC Test <ecc@barman-wal.test>", "ed25519", "cv25519", EccPassphrase);
        ToolHome = OsUser.ToolUser is { } user ? CopyFor(user) : Home;
    }

    public string Gpg { get; }

    public string Home { get; }

    public string RsaFingerprint { get; }

    public string EccFingerprint { get; }

    /// <summary>The GNUPGHOME of child barman-wal runs: <see cref="Home"/>, or its copy owned by <see cref="OsUser.ToolUser"/>.</summary>
    public string ToolHome { get; }

    /// <summary>The environment a child barman-wal needs to find this keyring.</summary>
    public IReadOnlyDictionary<string, string?> ChildEnvironment => new Dictionary<string, string?> { ["GNUPGHOME"] = ToolHome };

    /// <summary>A copy of the keyring (no agent sockets) given to <paramref name="user"/>.</summary>
    private string CopyFor(OsUser user)
    {
        var copy = Directory.CreateTempSubdirectory("bw-gpg-tool-").FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(Home, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Home, entry));
            if (Directory.Exists(entry))
                Directory.CreateDirectory(target);
            else if (File.Exists(entry) && !Path.GetFileName(entry).StartsWith("S.", StringComparison.Ordinal))
                File.Copy(entry, target);
        }

        user.Own(copy);
        return copy;
    }

    private string Generate(string userId, string primary, string encryption, string passphrase)
    {
        Run(["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-generate-key", userId, primary, "cert", "never"]);
        var listing = Run(["--batch", "--with-colons", "--list-keys", userId]);
        var fingerprint = listing.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        Run(["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-add-key", fingerprint, encryption, "encr", "never"]);
        return fingerprint;
    }

    private string Run(IReadOnlyList<string> arguments)
    {
        var result = ProcessRunner.RunAsync(Gpg, arguments, new Dictionary<string, string?> { ["GNUPGHOME"] = Home }, timeout: TimeSpan.FromSeconds(60))
            .GetAwaiter().GetResult();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"gpg {string.Join(' ', arguments)} failed: {result}");
        return result.Stdout;
    }

    public void Dispose()
    {
        foreach (var home in new[] { Home, ToolHome }.Distinct(StringComparer.Ordinal))
        {
            try
            {
                ProcessRunner.RunAsync("gpgconf", ["--kill", "gpg-agent"], new Dictionary<string, string?> { ["GNUPGHOME"] = home }, timeout: TimeSpan.FromSeconds(10))
                    .GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }

            Directory.Delete(home, recursive: true);
        }
    }
}
