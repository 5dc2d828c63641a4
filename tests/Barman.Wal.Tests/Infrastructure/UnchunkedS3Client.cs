using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>An S3 client that never sends aws-chunked bodies, which s3rver would store verbatim.</summary>
internal sealed class UnchunkedS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    public override Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default)
    {
        request.UseChunkEncoding = false;
        return base.PutObjectAsync(request, cancellationToken);
    }

    public override Task<UploadPartResponse> UploadPartAsync(UploadPartRequest request, CancellationToken cancellationToken = default)
    {
        request.UseChunkEncoding = false;
        return base.UploadPartAsync(request, cancellationToken);
    }
}
