using System.IO.Compression;
using Barman.Wal.Encryption;
using Barman.Wal.Tests.Hooks;

namespace Barman.Wal.Tests.Encryption;

/// <summary>archive-wal with <c>encryption = gpg</c> through the built CLI (spec: storage §3, hooks-encryption §6–8).</summary>
[Collection(GpgCollection.Name)]
public sealed class EncryptedArchiveTests(GpgKeyring keyring) : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private readonly HookSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private void Configure(string? keyId = null, Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string>
        {
            ["compression"] = "gzip",
            ["encryption"] = "gpg",
            ["encryption_key_id"] = keyId ?? keyring.RsaFingerprint,
        };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        _sandbox.Configure(options);
    }

    [Fact]
    public async Task ArchiveWal_gzip_then_gpg_stores_OpenPGP_and_catalogues_gzip_gpg()
    {
        Configure();
        var source = _sandbox.AddWal(Wal1, seed: 3);
        var original = await File.ReadAllBytesAsync(source);

        var result = await _sandbox.ArchiveWalAsync(keyring.ChildEnvironment);

        result.ExitCode.Should().Be(0, result.ToString());
        File.Exists(source).Should().BeFalse();
        _sandbox.Home.ListArchive().Should().Equal($"0000000100000000/{Wal1}");
        var stored = await File.ReadAllBytesAsync(_sandbox.Stored(Wal1));
        OpenPgpMessage.IsEncrypted(stored.AsSpan(0, OpenPgpMessage.HeaderLength)).Should().BeTrue();
        var line = _sandbox.Home.ReadXlogDb().Should().ContainSingle().Subject.Split('\t');
        line[0].Should().Be(Wal1);
        line[1].Should().Be(stored.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        line[3..].Should().Equal("gzip", "gpg");

        using var compressed = new MemoryStream();
        await new GpgDecryptor("echo unused", null, new InMemoryLog().Logger).TransformAsync(new MemoryStream(stored), compressed);
        compressed.Position = 0;
        using var plain = new MemoryStream();
        await using (var gunzip = new GZipStream(compressed, CompressionMode.Decompress))
            await gunzip.CopyToAsync(plain);
        plain.ToArray().Should().Equal(original);
    }

    [Fact]
    public async Task ArchiveWal_identical_WAL_offered_again_is_a_duplicate_when_encrypted()
    {
        Configure(keyring.EccFingerprint);
        _sandbox.AddWal(Wal1);
        (await _sandbox.ArchiveWalAsync(keyring.ChildEnvironment)).ExitCode.Should().Be(0);
        var again = _sandbox.AddWal(Wal1);

        var result = await _sandbox.ArchiveWalAsync(keyring.ChildEnvironment);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal(
            "Processing xlog segments from file archival for pg1",
            "\t" + Wal1,
            $"\tError: {Wal1} is already present in server pg1. File moved to errors directory.");
        File.Exists(again).Should().BeFalse();
        Directory.GetFiles(_sandbox.Home.ErrorsDirectory()).Select(Path.GetFileName)
            .Should().ContainSingle().Which.Should().MatchRegex($"^{Wal1}\\.\\d{{8}}T\\d{{6}}Z\\.duplicate$");
        _sandbox.Home.ReadXlogDb().Should().ContainSingle();
    }

    [Fact]
    public async Task ArchiveWal_without_gpg_on_PATH_fails_the_first_file_with_Barman_message()
    {
        Configure();
        var source = _sandbox.AddWal(Wal1);
        var environment = new Dictionary<string, string?>(keyring.ChildEnvironment) { ["PATH"] = "/nonexistent" };

        var result = await _sandbox.ArchiveWalAsync(environment);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + Wal1);
        result.StderrLines.Should().Equal("EXCEPTION: gpg not in PATH", "See log file for more details.");
        File.Exists(source).Should().BeTrue();
        _sandbox.Home.ReadXlogDb().Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_unknown_key_fails_with_gpg_error_and_keeps_the_source()
    {
        Configure("0x0123456789ABCDEF");
        var source = _sandbox.AddWal(Wal1);

        var result = await _sandbox.ArchiveWalAsync(keyring.ChildEnvironment);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().HaveCount(2);
        result.StderrLines[0].Should().StartWith("EXCEPTION: {'ret': 2, 'out': '', 'err': ").And.Contain("0x0123456789ABCDEF");
        File.Exists(source).Should().BeTrue();
        _sandbox.Home.ListArchive().Should().BeEmpty();
        _sandbox.Log().Should().Contain("GPG WARNING: gpg: 0x0123456789ABCDEF: skipped: No public key");
    }

    [Fact]
    public async Task ArchiveWal_refuses_encryption_with_a_legacy_four_column_catalog()
    {
        Configure();
        var source = _sandbox.AddWal(Wal1);
        var legacy = Path.Combine(_sandbox.Home.WalsDirectory(), "xlog.db");
        await File.WriteAllTextAsync(legacy, "000000010000000000000000\t16777216\t1795488859.0\tNone\n");

        var result = await _sandbox.ArchiveWalAsync(keyring.ChildEnvironment);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal(
            $"EXCEPTION: encryption = gpg cannot be used for server pg1: its WAL catalog {legacy} is in the legacy 4-column format (Barman < 3.13), which has no encryption column",
            "See log file for more details.");
        File.Exists(source).Should().BeTrue();
        (await File.ReadAllLinesAsync(legacy)).Should().ContainSingle();
    }
}
