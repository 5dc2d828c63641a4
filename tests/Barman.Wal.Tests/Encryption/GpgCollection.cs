namespace Barman.Wal.Tests.Encryption;

/// <summary>Every test that runs gpg shares one keyring (key generation runs once).</summary>
[CollectionDefinition(Name)]
public sealed class GpgCollection : ICollectionFixture<GpgKeyring>
{
    public const string Name = "gpg";
}
