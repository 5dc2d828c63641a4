using System.Diagnostics;
using System.Globalization;
using System.Text;
using Barman.Wal.Storage;
using Serilog;

namespace Barman.Wal.Encryption;

/// <summary>
/// Decrypts a gpg-encrypted WAL as a stream stage (spec: hooks-encryption §9), for restore and tests: the
/// passphrase is the output of <c>encryption_passphrase_command</c>, computed once, handed to gpg through a
/// pipe descriptor (<c>--passphrase-fd</c>), never put in argv, the environment or a log line.
/// </summary>
public sealed class GpgDecryptor(string passphraseCommand, string? pathPrefix, ILogger logger) : IWalTransform
{
    private readonly Lazy<Task<string>> _passphrase = new(() => ReadPassphraseAsync(passphraseCommand));

    /// <inheritdoc />
    public string Name => "gpg";

    /// <summary>Barman's error for an encrypted WAL met while <c>encryption_passphrase_command</c> is unset.</summary>
    public static GpgException MissingPassphraseCommand(string walName) => new(
        $"Encrypted WAL file '{walName}' detected, but no 'encryption_passphrase_command' is configured. "
        + "Please set 'encryption_passphrase_command' in the configuration so the correct private key can be identified for decryption.");

    /// <inheritdoc />
    public async Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        var passphrase = await _passphrase.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        var gpg = GpgCommand.Locate(pathPrefix);
        var pipe = PassphrasePipe.Create(passphrase);
        int status;
        string stderr;
        try
        {
            string[] arguments =
            [
                "--yes", "--batch", "--pinentry-mode", "loopback",
                "--passphrase-fd", pipe.Descriptor.ToString(CultureInfo.InvariantCulture),
                "--decrypt", "--output", "-",
            ];
            (status, stderr) = await GpgCommand.RunAsync(gpg, arguments, pathPrefix, input, output, logger, cancellationToken, pipe.Dispose)
                .ConfigureAwait(false);
        }
        finally
        {
            pipe.Dispose();
        }

        if (status == 0)
            return;
        if (stderr.Contains("No passphrase given", StringComparison.Ordinal))
            throw new GpgException("Error: No passphrase provided for decryption.");
        if (stderr.Contains("Bad passphrase", StringComparison.Ordinal))
            throw new GpgException("Error: Bad passphrase provided for decryption.");
        throw new GpgException(GpgCommand.FailureText(status, string.Empty, stderr));
    }

    /// <summary>Runs the command through the shell: stdout exactly as printed (UTF-8), stderr discarded.</summary>
    private static async Task<string> ReadPassphraseAsync(string command)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new GpgException($"Command failed: {command}");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new GpgException($"Command failed: {command} (exit status {process.ExitCode})");
        if (stdout.Length == 0)
            throw new GpgException("The command returned an empty passphrase");
        return stdout;
    }
}
