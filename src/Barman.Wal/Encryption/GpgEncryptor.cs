using Serilog;
using Barman.Wal.Storage;

namespace Barman.Wal.Encryption;

/// <summary>
/// The <c>encryption = gpg</c> stage (spec: hooks-encryption §6): the real gpg encrypting to
/// <c>encryption_key_id</c>, binary OpenPGP, no gpg compression, streamed stdin → stdout.
/// </summary>
/// <remarks>
/// As in Barman nothing is checked before the first file: a missing recipient or a missing gpg fails the
/// first WAL with Barman's text. Command line: <c>gpg --yes --batch --pinentry-mode loopback --compress-level 0
/// --recipient &lt;id&gt; --encrypt --output -</c> (Barman names an input and an output file instead).
/// </remarks>
public sealed class GpgEncryptor(string? recipient, string? pathPrefix, ILogger logger) : IWalTransform
{
    /// <summary>Barman's error when <c>encryption_key_id</c> is unset.</summary>
    public const string MissingRecipient =
        "A recipient must be specified to encrypt the backup. Please provide a valid recipient.";

    /// <inheritdoc />
    public string Name => "gpg";

    /// <summary>The gpg arguments for <paramref name="keyId"/>.</summary>
    public static IReadOnlyList<string> Arguments(string keyId) =>
        ["--yes", "--batch", "--pinentry-mode", "loopback", "--compress-level", "0", "--recipient", keyId, "--encrypt", "--output", "-"];

    /// <inheritdoc />
    public async Task TransformAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(recipient))
            throw new GpgException(MissingRecipient);
        var gpg = GpgCommand.Locate(pathPrefix);
        var (status, stderr) = await GpgCommand.RunAsync(gpg, Arguments(recipient), pathPrefix, input, output, logger, cancellationToken)
            .ConfigureAwait(false);
        if (status != 0)
            throw new GpgException(GpgCommand.FailureText(status, string.Empty, stderr));
    }
}
