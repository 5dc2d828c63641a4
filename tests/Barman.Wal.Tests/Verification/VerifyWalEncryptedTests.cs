using System.Buffers.Binary;
using Barman.Wal.Tests.Encryption;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Verification;

/// <summary>verify-wal over a gzip + gpg archive: read back through real gpg only with a passphrase command.</summary>
[Collection(GpgCollection.Name)]
public sealed class VerifyWalEncryptedTests(GpgKeyring keyring) : IDisposable
{
    private const ulong SystemId = 7_300_000_000_000_000_001;
    private const int SegmentSize = 16 << 20;
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    /// <summary>A 16 MiB segment whose first page carries a valid PostgreSQL 15 long header for its name.</summary>
    private static byte[] Segment(uint segment)
    {
        var bytes = new byte[SegmentSize];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, 0xD110);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 0x0002);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)segment * SegmentSize);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), SystemId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(32), SegmentSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(36), 8192);
        new Random((int)segment).NextBytes(bytes.AsSpan(64, 4096));
        return bytes;
    }

    private void Configure(bool passphrase)
    {
        var options = new Dictionary<string, string>
        {
            ["description"] = "encrypted", ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on",
            ["compression"] = "gzip", ["encryption"] = "gpg", ["encryption_key_id"] = keyring.EccFingerprint,
        };
        if (passphrase)
            options["encryption_passphrase_command"] = $"printf '{GpgKeyring.EccPassphrase}'";
        _home.WriteConfig(options);
    }

    [Fact]
    public async Task An_encrypted_archive_verifies_with_the_passphrase_command_and_is_not_verified_without()
    {
        Configure(passphrase: false);
        _home.CreateServerDirectories();
        for (uint i = 1; i <= 2; i++)
            File.WriteAllBytes(Path.Combine(_home.IncomingDirectory(), $"00000001000000000000000{i}"), Segment(i));
        (await ToolRunner.RunAsync(_home, ["archive-wal", "pg1"], keyring.ChildEnvironment)).ExitCode.Should().Be(0);

        var without = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"], keyring.ChildEnvironment);

        without.ExitCode.Should().Be(1, without.ToString());
        without.StderrLines.Should().ContainSingle().Which.Should().StartWith(
            "ERROR: pg1: cannot verify the archive: Encrypted WAL file '00000001000000000000000").And.Contain(
            "detected, but no 'encryption_passphrase_command' is configured.");

        Configure(passphrase: true);
        var with = await ToolRunner.RunAsync(_home, ["verify-wal", "pg1"], keyring.ChildEnvironment);

        with.ExitCode.Should().Be(0, with.ToString());
        with.StdoutLines.Should().Equal(
            "pg1: OK, 2 files checked (2 read back), timeline 1 000000010000000000000001 to 000000010000000000000002 (2 segments)");
    }
}
