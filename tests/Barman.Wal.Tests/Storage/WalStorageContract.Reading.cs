using Barman.Wal.Compression;
using Barman.Wal.Storage;

namespace Barman.Wal.Tests.Storage;

/// <summary>The read side of the conformance suite: listing, finding, opening and decoding what is stored.</summary>
public abstract partial class WalStorageContract
{
    private static StoredWalDecoder Decoder(IWalTransform? decryptor = null) =>
        new(new RegistryContentReader(new WalCodecRegistry(), false), decryptor);

    [Fact]
    public async Task ListStoredAsync_lists_every_stored_entry_in_ordinal_order()
    {
        var storage = NewStrategy("gzip");
        string[] names = ["000000010000000000000002", "000000010000000100000001", "000000010000000000000001", "00000002.history"];
        foreach (var name in names)
            await storage.SaveAsync(Source(name, seed: name.Length, length: 4096));

        var listed = new List<StoredObject>();
        await foreach (var stored in storage.ListStoredAsync())
            listed.Add(stored);

        listed.Select(s => s.Name).Should().Equal(
            "000000010000000000000001", "000000010000000000000002", "000000010000000100000001", "00000002.history");
        listed.Select(s => s.RelativePath).Should().BeInAscendingOrder(StringComparer.Ordinal);
        listed[0].IsTopLevel.Should().BeFalse();
        listed[3].IsTopLevel.Should().BeTrue();
        listed.Should().OnlyContain(s => s.Size > 0 && !s.IsDirectory);
    }

    [Fact]
    public async Task ListStoredAsync_empty_location_lists_nothing()
    {
        var storage = NewStrategy();

        var any = false;
        await foreach (var _ in storage.ListStoredAsync())
            any = true;

        any.Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public async Task FindStoredAsync_then_decode_gives_the_source_bytes(string? codec)
    {
        var storage = NewStrategy(codec);
        var wal = Source(seed: 11);
        var expected = File.ReadAllBytes(wal.OriginalPath!);
        await storage.SaveAsync(wal);

        var stored = await storage.FindStoredAsync(Segment);

        stored.Should().NotBeNull();
        stored!.Name.Should().Be(Segment);
        stored.Size.Should().Be(wal.Size);
        await using var decoded = await Decoder().OpenAsync(await storage.OpenStoredAsync(stored), Segment);
        decoded.Compression.Should().Be(codec);
        decoded.Encrypted.Should().BeFalse();
        using var plain = new MemoryStream();
        await decoded.Content.CopyToAsync(plain);
        plain.ToArray().Should().Equal(expected);
    }

    [Fact]
    public async Task Decode_without_decompression_keeps_the_stored_codec_and_Decompress_finishes_it()
    {
        var storage = NewStrategy("zstd");
        var wal = Source(seed: 12);
        var expected = File.ReadAllBytes(wal.OriginalPath!);
        await storage.SaveAsync(wal);
        var stored = (await storage.FindStoredAsync(Segment))!;

        await using var decoded = await Decoder().OpenAsync(await storage.OpenStoredAsync(stored), Segment, decompress: false);
        using var compressed = new MemoryStream();
        await decoded.Content.CopyToAsync(compressed);

        decoded.Compression.Should().Be("zstd");
        compressed.Length.Should().Be(stored.Size, "the content is the stored bytes");
        compressed.Position = 0;
        await using var plain = Decoder().Decompress(compressed, "zstd");
        using var copy = new MemoryStream();
        await plain.CopyToAsync(copy);
        copy.ToArray().Should().Equal(expected);
    }

    [Fact]
    public async Task FindStoredAsync_missing_is_null()
    {
        var storage = NewStrategy("gzip");
        await storage.SaveAsync(Source(length: 4096));

        (await storage.FindStoredAsync("000000010000000000000009")).Should().BeNull();
    }

    [Fact]
    public async Task Decode_encrypted_without_decryptor_names_the_wal_and_with_one_gives_the_source()
    {
        using var gpg = new GpgTestEncryptor();
        var storage = CreateStrategy(NewLocation(), Pipeline("gzip", gpg));
        var wal = Source(seed: 12);
        var expected = File.ReadAllBytes(wal.OriginalPath!);
        await storage.SaveAsync(wal);
        var stored = (await storage.FindStoredAsync(Segment))!;

        var withoutKey = async () => await Decoder().OpenAsync(await storage.OpenStoredAsync(stored), Segment);
        (await withoutKey.Should().ThrowAsync<Barman.Wal.Encryption.GpgException>()).Which.Message.Should().Contain($"'{Segment}'");

        await using var decoded = await Decoder(gpg.Decryptor).OpenAsync(await storage.OpenStoredAsync(stored), Segment);
        using var plain = new MemoryStream();
        await decoded.Content.CopyToAsync(plain);
        decoded.Encrypted.Should().BeTrue();
        decoded.Compression.Should().Be("gzip");
        plain.ToArray().Should().Equal(expected);
    }
}
