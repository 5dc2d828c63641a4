using Amazon.S3.Model;

namespace Barman.Wal.Tests.Infrastructure;

public sealed class S3ServerTests(S3Server s3) : IClassFixture<S3Server>
{
    [Fact]
    public async Task PutObject_then_GetObject_returns_same_bytes_unchunked()
    {
        using var client = s3.CreateClient();
        var key = S3Server.NewPrefix(nameof(PutObject_then_GetObject_returns_same_bytes_unchunked)) + "000000010000000000000001";
        var data = new byte[300_000];
        new Random(7).NextBytes(data);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = key, InputStream = new MemoryStream(data) });
        using var got = await client.GetObjectAsync(s3.Bucket, key);
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy);

        copy.ToArray().Should().Equal(data);
        // what s3rver stored on disk is the plain body, not aws-chunked framing
        var onDisk = Path.Combine(s3.DataDirectory, s3.Bucket, key + "._S3rver_object");
        (await File.ReadAllBytesAsync(onDisk)).Should().Equal(data);
    }

    [Fact]
    public async Task StopAsync_then_StartAgainAsync_refuses_then_serves_same_data()
    {
        using var client = s3.CreateClient(maxErrorRetry: 0);
        var key = S3Server.NewPrefix(nameof(StopAsync_then_StartAgainAsync_refuses_then_serves_same_data)) + "obj";
        await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = key, ContentBody = "kept" });

        await s3.StopAsync();
        try
        {
            s3.IsRunning.Should().BeFalse();
            var get = () => client.GetObjectAsync(s3.Bucket, key);
            await get.Should().ThrowAsync<HttpRequestException>();
        }
        finally
        {
            await s3.StartAgainAsync();
        }

        using var got = await client.GetObjectAsync(s3.Bucket, key);
        using var reader = new StreamReader(got.ResponseStream);
        (await reader.ReadToEndAsync()).Should().Be("kept");
    }
}
