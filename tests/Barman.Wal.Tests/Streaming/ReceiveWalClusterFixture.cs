using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Streaming;

/// <summary>One PostgreSQL 15 for the receive-wal end-to-end tests (each test uses its own slot and barman_home).</summary>
public sealed class ReceiveWalClusterFixture : PostgresClusterFixture
{
    public ReceiveWalClusterFixture()
        : base(new PostgresClusterOptions { MaxReplicationSlots = 20, MaxWalSenders = 20, SynchronousStandbyNames = "" })
    {
    }
}
