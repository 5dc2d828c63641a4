using Npgsql;

namespace Barman.Wal.Tests.Infrastructure;

public sealed class PostgresClusterTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private readonly PostgresCluster _pg = fixture.Cluster;

    [Fact]
    public async Task StartAsync_default_options_runs_postgresql_15_with_archiving()
    {
        (await _pg.ScalarAsync<int>("SELECT current_setting('server_version_num')::int")).Should().BeInRange(150000, 159999);
        (await _pg.ScalarAsync<string>("SHOW wal_level")).Should().Be("replica");
        (await _pg.ScalarAsync<string>("SHOW archive_mode")).Should().Be("on");
        (await _pg.ScalarAsync<string>("SHOW listen_addresses")).Should().Be("127.0.0.1");
        _pg.SystemIdentifier.Should().Be(ulong.Parse(await _pg.ScalarAsync<string>("SELECT system_identifier::text FROM pg_control_system()")));
    }

    [Fact]
    public async Task SwitchWalAsync_puts_full_segment_into_incoming()
    {
        var name = await _pg.SwitchWalAsync();

        var path = Path.Combine(_pg.IncomingDirectory, name);
        File.Exists(path).Should().BeTrue();
        new FileInfo(path).Length.Should().Be(16 * 1024 * 1024);
        await using var read = File.OpenRead(path);   // readable by the tests' user
        read.ReadByte().Should().NotBe(-1);
    }

    [Fact]
    public async Task GenerateSegmentsAsync_three_segments_arrive_in_order()
    {
        var names = await _pg.GenerateSegmentsAsync(3);

        names.Should().HaveCount(3).And.BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        names.Should().AllSatisfy(n => File.Exists(Path.Combine(_pg.IncomingDirectory, n)).Should().BeTrue());
    }

    [Fact]
    public async Task RunPgbenchAsync_small_run_commits_the_transactions()
    {
        var result = await _pg.RunPgbenchAsync(scale: 1, transactions: 50);

        result.Stdout.Should().Contain("number of transactions actually processed: 50/50");
        (await _pg.ScalarAsync<long>("SELECT count(*) FROM pgbench_history")).Should().BeGreaterThanOrEqualTo(50);
    }

    [Fact]
    public async Task ConnInfo_over_unix_socket_connects()
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = _pg.SocketDirectory, Port = _pg.Port, Username = "postgres", Database = "postgres", Pooling = false };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        (await cmd.ExecuteScalarAsync()).Should().Be(1);
    }
}
