using Barman.Wal.Catalog;
using Barman.Wal.Storage;
using Barman.Wal.Verification;

namespace Barman.Wal.Tests.Verification;

public sealed class CatalogCheckTests
{
    private const string A = "000000010000000000000001";
    private const string B = "000000010000000000000002";
    private const string C = "000000010000000000000003";

    private static WalFileInfo Line(string name, long size, string? compression = "gzip") =>
        new() { Name = name, Size = size, Time = 1, Compression = compression };

    private static StoredObject Stored(string name, long size) =>
        new($"{name[..16]}/{name}", name, "/x/" + name, size, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Every_disagreement_is_reported_once()
    {
        var lines = new[] { Line(A, 10), Line(A, 10), Line(B, 20), Line(C, 30, compression: null) };
        var stored = new[] { Stored(A, 10), Stored(C, 31), Stored("000000010000000000000004", 40) }.ToDictionary(s => s.Name);
        var content = new Dictionary<string, StoredEncoding> { [A] = new("gzip", false), [C] = new("gzip", false) };

        var problems = CatalogCheck.Check(lines, stored, content);

        problems.Select(p => (p.Kind, p.Name)).Should().Equal(
            (WalProblemKind.DuplicateLine, A),
            (WalProblemKind.CatalogWithoutFile, B),
            (WalProblemKind.SizeMismatch, C),
            (WalProblemKind.CompressionMismatch, C),
            (WalProblemKind.FileWithoutCatalog, "000000010000000000000004"));
    }

    [Fact]
    public void Matching_catalog_and_storage_is_clean()
    {
        var problems = CatalogCheck.Check([Line(A, 10)], new Dictionary<string, StoredObject> { [A] = Stored(A, 10) },
            new Dictionary<string, StoredEncoding> { [A] = new("gzip", false) });

        problems.Should().BeEmpty();
    }
}
