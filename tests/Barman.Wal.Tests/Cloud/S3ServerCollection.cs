namespace Barman.Wal.Tests.Cloud;

/// <summary>One S3 test server that enforces conditional writes, shared by every cloud test class.</summary>
[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerHarness>
{
    public const string Name = "s3rver";
}

/// <summary>
/// One S3 test server that ignores conditional writes (<c>S3RVER_IGNORE_CONDITIONS=1</c>), shared by the cloud
/// test classes that run in both modes.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IgnoringS3ServerCollection : ICollectionFixture<IgnoringS3ServerHarness>
{
    public const string Name = "s3rver ignoring conditional writes";
}
