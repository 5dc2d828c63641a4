namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// <c>[Collection(PostgresCollection.Name)]</c> shares one default <see cref="PostgresClusterFixture"/>
/// between test classes (they then run one after another).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "PostgreSQL cluster";
}
