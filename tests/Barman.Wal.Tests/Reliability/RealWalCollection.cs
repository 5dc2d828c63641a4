using Barman.Wal.Tests.Archiving;

namespace Barman.Wal.Tests.Reliability;

/// <summary>One real-WAL PostgreSQL cluster shared by the reliability end-to-end classes.</summary>
[CollectionDefinition(Name)]
public sealed class RealWalCollection : ICollectionFixture<RealWalFixture>
{
    public const string Name = "Reliability real WAL";
}
