using Barman.Wal.Postgres;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Postgres;

public sealed class PostgresClientTests(PostgresClientFixture fixture) : IClassFixture<PostgresClientFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly PostgresCluster _pg = fixture.Cluster;

    private Task<PostgresClient> OpenAsync(string? conninfo = null) =>
        PostgresClient.OpenAsync(ConnInfo.Parse(conninfo ?? _pg.ConnInfo), Limit);

    [Fact]
    public async Task OpenAsync_running_cluster_reports_version_15()
    {
        await using var client = await OpenAsync();

        client.ServerVersionNum.Should().BeInRange(150000, 159999);
        client.ServerVersion.Should().StartWith("15.");
    }

    [Fact]
    public async Task OpenAsync_unix_socket_conninfo_connects()
    {
        await using var client = await OpenAsync(_pg.SocketConnInfo);

        (await client.IsSuperuserAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task OpenAsync_without_application_name_uses_barman()
    {
        await using var client = await OpenAsync();

        (await client.ShowAsync("application_name")).Should().Be("barman");
        await using var named = await OpenAsync(_pg.ConnInfo + " application_name=mine");
        (await named.ShowAsync("application_name")).Should().Be("mine");
    }

    [Fact]
    public async Task OpenAsync_closed_port_throws_one_line_connection_refused()
    {
        var port = FreePort.Next();

        var open = () => OpenAsync($"host=127.0.0.1 port={port} user=postgres dbname=postgres");

        var e = (await open.Should().ThrowAsync<PostgresConnectionException>()).Which;
        e.Message.Should().Be($"cannot connect to PostgreSQL: connection to server at \"127.0.0.1\", port {port} failed: Connection refused");
        e.Message.Should().NotContain("\n");
    }

    [Fact]
    public async Task OpenAsync_server_that_never_answers_times_out_within_the_limit()
    {
        await using var silent = new SilentTcpServer();
        var started = DateTime.UtcNow;

        var open = () => PostgresClient.OpenAsync(ConnInfo.Parse(silent.ConnInfo), TimeSpan.FromSeconds(1));

        var e = (await open.Should().ThrowAsync<PostgresConnectionException>()).Which;
        e.Reason.Should().Be($"connection to server at \"127.0.0.1\", port {silent.Port} failed: timeout expired");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OpenAsync_wrong_password_throws_with_server_message_and_sqlstate()
    {
        var open = () => OpenAsync($"host=127.0.0.1 port={_pg.Port} user={PostgresClientFixture.User} password=wrong dbname=postgres");

        var e = (await open.Should().ThrowAsync<PostgresConnectionException>()).Which;
        e.SqlState.Should().Be("28P01");
        e.Reason.Should().Be($"connection to server at \"127.0.0.1\", port {_pg.Port} failed: FATAL:  password authentication failed for user \"barman\"");
    }

    [Fact]
    public async Task OpenAsync_password_from_passfile_logs_in()
    {
        var dir = Directory.CreateTempSubdirectory("barman-wal-pgpass-").FullName;
        try
        {
            var passfile = Path.Combine(dir, "pgpass");
            await File.WriteAllTextAsync(passfile, $"127.0.0.1:{_pg.Port}:*:{PostgresClientFixture.User}:{PostgresClientFixture.UserPassword}\n");
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            await using var client = await OpenAsync($"host=127.0.0.1 port={_pg.Port} user={PostgresClientFixture.User} dbname=postgres passfile={passfile}");

            (await client.IsSuperuserAsync()).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task GetPrivilegesAsync_superuser_has_everything()
    {
        await using var client = await OpenAsync();

        var p = await client.GetPrivilegesAsync();

        p.IsSuperuser.Should().BeTrue();
        p.HasMonitoringPrivileges.Should().BeTrue();
        p.HasBackupPrivileges.Should().BeTrue();
    }

    [Fact]
    public async Task GetPrivilegesAsync_plain_role_then_granted_roles_and_functions()
    {
        var role = "r" + Guid.NewGuid().ToString("N")[..8];
        await _pg.ExecuteAsync($"CREATE ROLE {role} LOGIN");
        var conninfo = $"host=127.0.0.1 port={_pg.Port} user={role} dbname=postgres";
        await using (var plain = await OpenAsync(conninfo))
        {
            (await plain.GetPrivilegesAsync()).Should().Be(new RolePrivileges(false, false, false, false, false, false));
        }

        await _pg.ExecuteAsync($"""
            GRANT pg_read_all_settings, pg_read_all_stats, pg_checkpoint TO {role};
            GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO {role};
            GRANT EXECUTE ON FUNCTION pg_backup_stop(boolean) TO {role};
            GRANT EXECUTE ON FUNCTION pg_switch_wal() TO {role};
            GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO {role};
            """);
        await using var granted = await OpenAsync(conninfo);

        var p = await granted.GetPrivilegesAsync();

        p.Should().Be(new RolePrivileges(IsSuperuser: false, IsMonitor: false, ReadAllSettings: true, ReadAllStats: true, Checkpoint: true, BackupFunctions: true));
        p.HasMonitoringPrivileges.Should().BeTrue();
        p.HasBackupPrivileges.Should().BeTrue();
    }

    [Fact]
    public async Task Settings_queries_return_the_cluster_configuration()
    {
        await using var client = await OpenAsync();

        (await client.GetWalLevelAsync()).Should().Be("replica");
        (await client.GetArchiveModeAsync()).Should().Be("on");
        (await client.GetArchiveCommandAsync()).Should().Contain(_pg.IncomingDirectory);
        (await client.GetSynchronousStandbyNamesAsync()).Should().Be("");
        (await client.GetWalSegmentSizeAsync()).Should().Be(16 * 1024 * 1024);
        (await client.IsInRecoveryAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task ShowAsync_unknown_setting_throws_one_line_query_error()
    {
        await using var client = await OpenAsync();

        var show = () => client.ShowAsync("no_such_setting");

        var e = (await show.Should().ThrowAsync<PostgresQueryException>()).Which;
        e.SqlState.Should().Be("42704");
        e.Message.Should().Be("SHOW no_such_setting failed: unrecognized configuration parameter \"no_such_setting\"");
    }

    [Fact]
    public async Task GetArchiverStatusAsync_after_switch_reports_archived_segment()
    {
        var wal = await _pg.SwitchWalAsync();
        await using var client = await OpenAsync();

        var s = await client.GetArchiverStatusAsync();

        string.CompareOrdinal(s.LastArchivedWal, wal).Should().BeGreaterThanOrEqualTo(0);
        s.ArchivedCount.Should().BeGreaterThan(0);
        s.LastArchivedTime.Should().NotBeNull();
        s.FailedCount.Should().Be(0);
        s.IsArchiving.Should().BeTrue();
    }

    [Fact]
    public async Task SwitchWalAsync_after_a_write_closes_the_current_segment()
    {
        await using var client = await OpenAsync();
        await _pg.ExecuteAsync("CREATE TABLE IF NOT EXISTS switch_test (x int); INSERT INTO switch_test VALUES (1);");
        var current = await client.GetCurrentWalFileAsync();

        var result = await client.SwitchWalAsync();

        result.Should().Be(new WalSwitchResult(current, Switched: true));
        await _pg.WaitArchivedAsync(current);
        File.Exists(Path.Combine(_pg.IncomingDirectory, current)).Should().BeTrue();
    }

    [Fact]
    public async Task GetCurrentWalPositionAsync_on_primary_gives_lsn_and_file()
    {
        await using var client = await OpenAsync();
        await _pg.ExecuteAsync("CREATE TABLE IF NOT EXISTS position_test (x int); INSERT INTO position_test VALUES (1);");

        var position = await client.GetCurrentWalPositionAsync();

        position.IsInRecovery.Should().BeFalse();
        position.Lsn.Should().BeGreaterThan(0);
        position.FileName.Should().MatchRegex("^[0-9A-F]{24}$");
    }

    [Fact]
    public async Task GetSystemIdentifierAsync_matches_cluster_and_identify_system()
    {
        await using var client = await OpenAsync();
        await using var replication = await PostgresReplicationClient.OpenAsync(ConnInfo.Parse(_pg.ConnInfo), Limit);

        var id = await replication.IdentifySystemAsync();

        (await client.GetSystemIdentifierAsync()).Should().Be(_pg.SystemIdentifier);
        id.SystemId.Should().Be(_pg.SystemIdentifier);
        id.Timeline.Should().Be(1);
        id.XLogPos.Should().BeGreaterThan(0);
        replication.ServerVersionNum.Should().BeInRange(150000, 159999);
    }

    [Fact]
    public async Task Slot_lifecycle_create_inspect_duplicate_drop()
    {
        var slot = "s" + Guid.NewGuid().ToString("N")[..10];
        await using var client = await OpenAsync();
        await using var replication = await PostgresReplicationClient.OpenAsync(ConnInfo.Parse(_pg.ConnInfo), Limit);
        (await client.GetReplicationSlotAsync(slot)).Should().BeNull();

        await replication.CreatePhysicalSlotAsync(slot);

        (await client.GetReplicationSlotAsync(slot)).Should().Be(new ReplicationSlotInfo(slot, Active: false, RestartLsn: null));
        var again = () => replication.CreatePhysicalSlotAsync(slot);
        (await again.Should().ThrowAsync<PostgresQueryException>()).Which.SqlState.Should().Be("42710");

        await replication.DropSlotAsync(slot);

        (await client.GetReplicationSlotAsync(slot)).Should().BeNull();
        var dropMissing = () => replication.DropSlotAsync(slot);
        var e = (await dropMissing.Should().ThrowAsync<PostgresQueryException>()).Which;
        e.SqlState.Should().Be("42704");
        e.ServerMessage.Should().Be($"replication slot \"{slot}\" does not exist");
    }

    [Fact]
    public async Task ReplicationOpenAsync_closed_port_throws_connection_error()
    {
        var port = FreePort.Next();

        var open = () => PostgresReplicationClient.OpenAsync(ConnInfo.Parse($"host=127.0.0.1 port={port} user=postgres"), Limit);

        (await open.Should().ThrowAsync<PostgresConnectionException>()).Which.Reason
            .Should().Be($"connection to server at \"127.0.0.1\", port {port} failed: Connection refused");
    }

    [Fact]
    public async Task ReplicationOpenAsync_server_that_never_answers_times_out_within_the_limit()
    {
        await using var silent = new SilentTcpServer();
        var started = DateTime.UtcNow;

        var open = () => PostgresReplicationClient.OpenAsync(ConnInfo.Parse(silent.ConnInfo), TimeSpan.FromSeconds(1));

        (await open.Should().ThrowAsync<PostgresConnectionException>()).Which.Reason.Should().EndWith("failed: timeout expired");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OpenAsync_cancelled_token_throws_operation_cancelled()
    {
        await using var silent = new SilentTcpServer();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;

        var open = () => PostgresClient.OpenAsync(ConnInfo.Parse(silent.ConnInfo + " connect_timeout=60"), TimeSpan.FromSeconds(30), cancellationToken: cancel.Token);

        await open.Should().ThrowAsync<OperationCanceledException>();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
    }
}
