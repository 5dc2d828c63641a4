namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// <c>[Collection(S3Collection.Name)]</c> shares one <see cref="S3Server"/> between test classes;
/// give each test its own key prefix (<see cref="S3Server.NewPrefix"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>
{
    public const string Name = "S3 test server";
}
