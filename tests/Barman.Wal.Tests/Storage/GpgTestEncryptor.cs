using System.Diagnostics;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Storage;

/// <summary>
/// A real gpg encryption stage for the storage tests (a fresh Curve25519 key without passphrase in a
/// private GNUPGHOME): it lets the contract check that a strategy applies the pipeline's encryptor,
/// without depending on barman-wal's own gpg stage.
/// </summary>
internal sealed class GpgTestEncryptor : IWalTransform, IDisposable
{
    private const string Recipient = "barman-wal-test@example.invalid";

    private readonly string _home = Directory.CreateTempSubdirectory("barman-wal-gnupg-").FullName;
    private readonly string _gpg = Prerequisites.Program("gpg", "gnupg");

    public GpgTestEncryptor()
    {
        using var process = Start("--passphrase", string.Empty, "--quick-gen-key", $"barman-wal test <{Recipient}>", "future-default", "default", "never");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"gpg --quick-gen-key exited {process.ExitCode}: {error.Result}");
    }

    public string Name => "gpg";

    /// <summary>The matching decryption stage (gpg --decrypt with this key), for read-side tests.</summary>
    public IWalTransform Decryptor => new DecryptStage(this);

    public Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default) =>
        RunAsync(input, output, cancellationToken, "--trust-model", "always", "--encrypt", "--recipient", Recipient);

    private async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken, params string[] operation)
    {
        using var process = Start(operation);
        var feed = CopyAndCloseAsync(input, process.StandardInput.BaseStream, cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new IOException($"gpg {string.Join(" ", operation)} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    /// <summary>Decrypts an OpenPGP message made by this stage.</summary>
    public byte[] Decrypt(byte[] message)
    {
        using var process = Start("--decrypt");
        var feed = Task.Run(async () =>
        {
            await process.StandardInput.BaseStream.WriteAsync(message);
            process.StandardInput.Close();
        });
        using var plain = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(plain);
        feed.GetAwaiter().GetResult();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
        return plain.ToArray();
    }

    public void Dispose()
    {
        // gpg started an agent for this home; stop it before the home goes.
        using (var kill = Process.Start(new ProcessStartInfo("gpgconf", ["--homedir", _home, "--kill", "all"]) { UseShellExecute = false }))
            kill?.WaitForExit(10_000);
        Directory.Delete(_home, recursive: true);
    }

    private Process Start(params string[] operation)
    {
        var psi = new ProcessStartInfo(_gpg)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--homedir", _home, "--batch", "--quiet", "--no-tty", "--pinentry-mode", "loopback" })
            psi.ArgumentList.Add(a);
        foreach (var a in operation)
            psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start gpg");
    }

    private sealed class DecryptStage(GpgTestEncryptor owner) : IWalTransform
    {
        public string Name => "gpg";

        public Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default) =>
            owner.RunAsync(input, output, cancellationToken, "--decrypt");
    }

    private static async Task CopyAndCloseAsync(Stream input, Stream stdin, CancellationToken cancellationToken)
    {
        await input.CopyToAsync(stdin, cancellationToken);
        stdin.Close();
    }
}
