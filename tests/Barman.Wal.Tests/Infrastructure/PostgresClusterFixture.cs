namespace Barman.Wal.Tests.Infrastructure;

/// <summary>An xUnit class/collection fixture owning one started <see cref="PostgresCluster"/> with default options.</summary>
public class PostgresClusterFixture : IAsyncLifetime
{
    public PostgresClusterFixture()
        : this(new PostgresClusterOptions())
    {
    }

    protected PostgresClusterFixture(PostgresClusterOptions options)
    {
        Cluster = new PostgresCluster(options);
    }

    /// <summary>The running cluster.</summary>
    public PostgresCluster Cluster { get; }

    public Task InitializeAsync() => Cluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
