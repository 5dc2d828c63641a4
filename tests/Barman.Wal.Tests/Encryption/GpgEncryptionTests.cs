using Barman.Wal.Configuration;
using Barman.Wal.Encryption;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Encryption;

[Collection(GpgCollection.Name)]
public sealed class GpgEncryptionTests(GpgKeyring keyring)
{
    private static byte[] SampleWal()
    {
        var bytes = new byte[1 << 20];
        new Random(42).NextBytes(bytes.AsSpan(0, 4096));
        return bytes;
    }

    private static async Task<byte[]> EncryptAsync(string? recipient, byte[] plain, InMemoryLog? log = null)
    {
        var encryptor = new GpgEncryptor(recipient, null, (log ?? new InMemoryLog()).Logger);
        using var output = new MemoryStream();
        await encryptor.TransformAsync(new MemoryStream(plain), output);
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(string passphraseCommand, byte[] cipher)
    {
        var decryptor = new GpgDecryptor(passphraseCommand, null, new InMemoryLog().Logger);
        using var output = new MemoryStream();
        await decryptor.TransformAsync(new MemoryStream(cipher), output);
        return output.ToArray();
    }

    [Fact]
    public async Task TransformAsync_rsa_recipient_round_trips_and_is_recognised()
    {
        var plain = SampleWal();
        var cipher = await EncryptAsync(keyring.RsaFingerprint, plain);

        cipher.Should().NotBeEmpty();
        cipher[0].Should().Be(0x85, "an old-format PKESK packet with a two-byte length");
        cipher[3].Should().Be(3, "PKESK version 3");
        OpenPgpMessage.IsEncrypted(cipher.AsSpan(0, OpenPgpMessage.HeaderLength)).Should().BeTrue();
        (await DecryptAsync("echo unused", cipher)).Should().Equal(plain);
    }

    [Fact]
    public async Task TransformAsync_ecc_recipient_with_passphrase_round_trips_and_is_recognised()
    {
        var plain = SampleWal();
        var cipher = await EncryptAsync(keyring.EccFingerprint, plain);

        cipher[0].Should().Be(0x84);
        OpenPgpMessage.IsEncrypted(cipher.AsSpan(0, OpenPgpMessage.HeaderLength)).Should().BeTrue();
        (await DecryptAsync($"echo '{GpgKeyring.EccPassphrase}'", cipher)).Should().Equal(plain);
    }

    [Fact]
    public async Task TransformAsync_wrong_passphrase_fails_with_Barman_message()
    {
        var cipher = await EncryptAsync(keyring.EccFingerprint, SampleWal());

        var act = () => DecryptAsync("echo wrong", cipher);

        (await act.Should().ThrowAsync<GpgException>()).Which.Message.Should().Be("Error: Bad passphrase provided for decryption.");
    }

    [Fact]
    public async Task TransformAsync_passphrase_command_failing_or_empty_is_refused()
    {
        var cipher = await EncryptAsync(keyring.RsaFingerprint, [1, 2, 3]);

        var failing = () => DecryptAsync("exit 3", cipher);
        var empty = () => DecryptAsync("true", cipher);

        (await failing.Should().ThrowAsync<GpgException>()).Which.Message.Should().StartWith("Command failed: exit 3");
        (await empty.Should().ThrowAsync<GpgException>()).Which.Message.Should().Be("The command returned an empty passphrase");
    }

    [Fact]
    public async Task TransformAsync_without_recipient_fails_with_Barman_message()
    {
        var act = () => EncryptAsync(null, [1, 2, 3]);

        (await act.Should().ThrowAsync<GpgException>()).Which.Message
            .Should().Be("A recipient must be specified to encrypt the backup. Please provide a valid recipient.");
    }

    [Fact]
    public async Task TransformAsync_unknown_recipient_fails_with_gpg_error_rendering_and_logs_stderr()
    {
        var log = new InMemoryLog();

        var act = () => EncryptAsync("0xDEADBEEFDEADBEEF", SampleWal(), log);

        var message = (await act.Should().ThrowAsync<GpgException>()).Which.Message;
        message.Should().StartWith("{'ret': 2, 'out': '', 'err': ").And.EndWith("}").And.Contain("DEADBEEFDEADBEEF");
        message.Should().NotContain("\n");
        log.Lines.Should().Contain(l => l.StartsWith("Warning GPG gpg: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Factory_builds_gpg_stage_only_for_encryption_gpg()
    {
        using var home = new BarmanHome();
        home.WriteConfig(new Dictionary<string, string> { ["encryption"] = "GPG", ["encryption_key_id"] = "x" }, "enc");
        home.WriteConfig(new Dictionary<string, string> { ["encryption"] = "none" }, "plain");
        var configuration = BarmanConfiguration.Load(home.ConfigPath);
        var factory = new GpgEncryptorFactory(new InMemoryLog().Logger);

        factory.Create(configuration.FindServer("enc")!).Should().BeOfType<GpgEncryptor>().Which.Name.Should().Be("gpg");
        factory.Create(configuration.FindServer("plain")!).Should().BeNull();
    }

    /// <summary>A stream whose reads fail after the first megabyte, like a failing upstream compressor.</summary>
    private sealed class FailingStream() : MemoryStream(new byte[1 << 20])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("upstream failed");
    }

    [Fact]
    public async Task TransformAsync_input_failure_propagates_and_does_not_hang()
    {
        var encryptor = new GpgEncryptor(keyring.RsaFingerprint, null, new InMemoryLog().Logger);
        using var output = new MemoryStream();

        var act = () => encryptor.TransformAsync(new FailingStream(), output);

        (await act.Should().ThrowAsync<IOException>()).Which.Message.Should().Be("upstream failed");
    }
}
