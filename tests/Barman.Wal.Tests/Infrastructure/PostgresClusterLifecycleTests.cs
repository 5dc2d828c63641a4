using Npgsql;

namespace Barman.Wal.Tests.Infrastructure;

public sealed class PostgresClusterLifecycleTests
{
    [Fact]
    public async Task StartAsync_two_clusters_in_parallel_get_own_ports_dirs_and_system_ids()
    {
        await using var a = new PostgresCluster();
        await using var b = new PostgresCluster();

        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        a.Port.Should().NotBe(b.Port);
        a.RootDirectory.Should().NotBe(b.RootDirectory);
        a.SystemIdentifier.Should().NotBe(b.SystemIdentifier);
        (await a.ScalarAsync<int>("SELECT 1")).Should().Be(1);
        (await b.ScalarAsync<int>("SELECT 1")).Should().Be(1);
    }

    [Fact]
    public async Task StartAsync_with_options_applies_password_user_slots_settings_and_given_incoming()
    {
        var outside = Directory.CreateTempSubdirectory("barman-wal-incoming-").FullName;   // 0700, owned by the tests' user
        try
        {
            var incoming = Path.Combine(outside, "pg1", "incoming");
            Directory.CreateDirectory(incoming);
            await using var pg = new PostgresCluster(new PostgresClusterOptions
            {
                IncomingDirectory = incoming,
                PasswordUser = new PostgresPasswordUser("barman", "s3cret pass"),
                ReplicationSlots = ["barman"],
                SynchronousStandbyNames = "barman_receive_wal",
                MaxWalSenders = 4,
                Settings = new Dictionary<string, string> { ["wal_keep_size"] = "32MB" },
            });
            await pg.StartAsync();

            (await pg.ScalarAsync<string>("SHOW synchronous_standby_names")).Should().Be("barman_receive_wal");
            (await pg.ScalarAsync<string>("SHOW max_wal_senders")).Should().Be("4");
            (await pg.ScalarAsync<string>("SHOW wal_keep_size")).Should().Be("32MB");
            (await pg.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'barman'")).Should().Be(1);

            var good = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = pg.Port, Username = "barman", Password = "s3cret pass", Database = "postgres", Pooling = false };
            await using (var conn = new NpgsqlConnection(good.ConnectionString))
            {
                await conn.OpenAsync();
            }

            var bad = new NpgsqlConnectionStringBuilder(good.ConnectionString) { Password = "wrong" };
            await using (var conn = new NpgsqlConnection(bad.ConnectionString))
            {
                var open = () => conn.OpenAsync();
                (await open.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("28P01");
            }

            var wal = await pg.SwitchWalAsync();
            File.Exists(Path.Combine(incoming, wal)).Should().BeTrue();
            File.Move(Path.Combine(incoming, wal), Path.Combine(outside, wal));   // movable by the tests' user
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task StopAsync_then_StartAsync_keeps_data_and_port()
    {
        await using var pg = new PostgresCluster(new PostgresClusterOptions { ArchiveMode = "off" });
        await pg.StartAsync();
        await pg.ExecuteAsync("CREATE TABLE t (x int); INSERT INTO t VALUES (42);");
        var port = pg.Port;

        await pg.StopAsync();
        pg.IsRunning.Should().BeFalse();
        var connect = () => pg.ScalarAsync<int>("SELECT 1");
        await connect.Should().ThrowAsync<NpgsqlException>();

        await pg.StartAsync();
        pg.Port.Should().Be(port);
        (await pg.ScalarAsync<int>("SELECT x FROM t")).Should().Be(42);
    }

    [Fact]
    public async Task DisposeAsync_stops_server_and_deletes_directory()
    {
        var pg = new PostgresCluster(new PostgresClusterOptions { ArchiveMode = "off" });
        await pg.StartAsync();
        var root = pg.RootDirectory;

        await pg.DisposeAsync();

        Directory.Exists(root).Should().BeFalse();
        var connect = () => pg.ScalarAsync<int>("SELECT 1");
        await connect.Should().ThrowAsync<NpgsqlException>();
    }
}
