namespace Barman.Wal.Tests.Cloud;

/// <summary>One S3 test server shared by every cloud test class.</summary>
[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerHarness>
{
    public const string Name = "s3rver";
}
