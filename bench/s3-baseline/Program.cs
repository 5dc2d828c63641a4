// A plain parallel PutObject loop: the yardstick for barman-wal's S3 archiving in bench/s3.sh.
// Usage: s3-put-baseline BUCKET PREFIX PARALLEL FILE...
// The endpoint and keys come from AWS_ENDPOINT_URL / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, and the
// client is configured as barman-wal's S3ClientFactory configures it for an endpoint override (path
// style, 60 s timeout, 2 standard retries, checksums only when required, unchunked bodies), with the
// same create-only PUT (If-None-Match: *) of the whole file held in memory. No compression, no catalog.
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: s3-put-baseline BUCKET PREFIX PARALLEL FILE...");
    return 2;
}

var bucket = args[0];
var prefix = args[1].TrimEnd('/');
var parallel = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var files = args[3..];
var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")
    ?? throw new InvalidOperationException("AWS_ENDPOINT_URL is not set");
var config = new AmazonS3Config
{
    ServiceURL = endpoint,
    ForcePathStyle = true,
    AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
    Timeout = TimeSpan.FromSeconds(60),
    MaxErrorRetry = 2,
    RetryMode = RequestRetryMode.Standard,
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
};
var credentials = new BasicAWSCredentials(
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "S3RVER",
    Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "S3RVER");
using var client = new AmazonS3Client(credentials, config);

await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (file, ct) =>
{
    var name = Path.GetFileName(file);
    using var body = new MemoryStream(await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false));
    await client.PutObjectAsync(new PutObjectRequest
    {
        BucketName = bucket,
        Key = $"{prefix}/{name[..16]}/{name}",
        InputStream = body,
        AutoCloseStream = false,
        IfNoneMatch = "*",
        UseChunkEncoding = false,
    }, ct).ConfigureAwait(false);
}).ConfigureAwait(false);
return 0;
