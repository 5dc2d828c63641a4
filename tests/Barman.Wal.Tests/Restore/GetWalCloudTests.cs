using Amazon.S3.Model;
using Barman.Wal.Tests.Cloud;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>The built get-wal over an <c>s3://</c> archive (objects as barman-cloud-wal-archive names them) on the real s3rver.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class GetWalCloudTests(S3ServerHarness s3) : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private GetWalSandbox? _box;

    public void Dispose() => _box?.Dispose();

    private string Configure(string test)
    {
        var url = s3.NewUrl(test);
        _box = new GetWalSandbox(new() { ["compression"] = "gzip", ["wals_directory"] = url, ["xlogdb_directory"] = Path.GetTempPath() });
        return url;
    }

    private async Task PutAsync(string url, string name, string extension, byte[] bytes)
    {
        using var client = s3.Server.CreateClient();
        var key = $"{url["s3://".Length..].Split('/', 2)[1]}/pg1/wals/{name[..16]}/{name}{extension}";
        await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Server.Bucket, Key = key, InputStream = new MemoryStream(bytes) });
    }

    [Theory]
    [InlineData("zstd", ".zst")]
    [InlineData("snappy", ".snappy")]
    [InlineData("bzip2", ".bz2")]
    public async Task GetWal_serves_objects_written_by_barman_cloud(string codec, string extension)
    {
        var url = Configure(nameof(GetWal_serves_objects_written_by_barman_cloud) + codec);
        var plain = GetWalSandbox.Segment(21);
        await PutAsync(url, Wal1, extension, GetWalSandbox.Compress(plain, codec));

        var (result, stdout) = await _box!.GetWalToFileAsync(["pg1", Wal1], s3.Server.Environment);
        var missing = await _box.GetWalAsync(["pg1", "000000010000000000000002"], s3.Server.Environment);

        result.ExitCode.Should().Be(0, result.ToString());
        stdout.Should().Equal(plain);
        missing.ExitCode.Should().Be(1, missing.ToString());
        missing.StderrLines.Should().Contain("ERROR: WAL file '000000010000000000000002' not found in server 'pg1'");
    }

    [Fact]
    public async Task GetWal_unreachable_endpoint_exits_4_which_does_not_abort_recovery()
    {
        Configure(nameof(GetWal_unreachable_endpoint_exits_4_which_does_not_abort_recovery));
        var closed = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string?>(s3.Server.Environment) { ["AWS_ENDPOINT_URL"] = closed, ["AWS_ENDPOINT_URL_S3"] = closed };

        var (result, stdout) = await _box!.GetWalToFileAsync(["pg1", Wal1], environment);

        result.ExitCode.Should().Be(4, result.ToString());
        result.StderrLines.Should().ContainSingle(l => l.StartsWith("ERROR: Barman cloud WAL restore exception: ", StringComparison.Ordinal));
        stdout.Should().BeEmpty();
    }
}
