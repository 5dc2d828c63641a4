using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

public sealed class PgReceiveWalCommandLineTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("pgrw-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void BuildArguments_spec_example_gives_exact_argv()
    {
        var argv = PgReceiveWalCommandLine.BuildArguments(
            "/usr/lib/postgresql/15/bin/pg_receivewal",
            "host=127.0.0.1 port=54329 user=streaming_barman dbname=postgres",
            "barman_receive_wal",
            "/srv/barman/pg1/streaming",
            "barman",
            synchronous: false);

        argv.Should().Equal(
            "/usr/lib/postgresql/15/bin/pg_receivewal",
            "--dbname=dbname=replication host=127.0.0.1 options=-cdatestyle=iso port=54329 replication=true user=streaming_barman application_name=barman_receive_wal",
            "--verbose",
            "--no-loop",
            "--no-password",
            "--directory=/srv/barman/pg1/streaming",
            "--slot=barman");
    }

    [Fact]
    public void BuildArguments_user_application_name_and_synchronous_without_slot_keeps_name_and_ends_with_synchronous()
    {
        var argv = PgReceiveWalCommandLine.BuildArguments(
            "/bin/pg_receivewal", "user=u application_name=mine replication=database", "barman_receive_wal", "/s", slotName: null, synchronous: true);

        argv.Should().Equal(
            "/bin/pg_receivewal",
            "--dbname=application_name=mine dbname=replication options=-cdatestyle=iso replication=true user=u",
            "--verbose",
            "--no-loop",
            "--no-password",
            "--directory=/s",
            "--synchronous");
    }

    [Theory]
    [InlineData("pg_receivewal (PostgreSQL) 15.20\n", "15.20")]
    [InlineData("pg_receivewal (PostgreSQL) 17beta1", "17beta1")]
    [InlineData("pg_receivexlog (PostgreSQL) 9.6.24 (Debian 9.6.24-1)", "9.6.24")]
    [InlineData("pg_receivewal (PostgreSQL) 18devel", "18devel")]
    [InlineData("pg_receivewal (PostgreSQL) unknown", null)]
    [InlineData("garbage", null)]
    public void ParseVersionOutput_various_outputs_give_barman_version(string stdout, string? expected) =>
        PgReceiveWalCommandLine.ParseVersionOutput(stdout).Should().Be(expected);

    [Theory]
    [InlineData("15.20", "15.0")]
    [InlineData("9.6.24", "9.6")]
    [InlineData("17beta1", "17.0")]
    [InlineData("18devel", "18.0")]
    [InlineData("10.1", "10.0")]
    public void ParseMajor_versions_drop_last_component(string version, string major) =>
        PgReceiveWalCommandLine.ParseMajor(version).Should().Be(Version.Parse(major));

    [Theory]
    [InlineData(150020, "15.0")]
    [InlineData(100023, "10.0")]
    [InlineData(90624, "9.6")]
    public void ServerMajor_version_num_gives_major(int num, string major) =>
        PgReceiveWalCommandLine.ServerMajor(num).Should().Be(Version.Parse(major));

    [Theory]
    [InlineData("15.0", "15.0", true)]
    [InlineData("16.0", "15.0", true)]
    [InlineData("14.0", "15.0", false)]
    [InlineData("10.0", "9.6", true)]
    [InlineData("9.6", "10.0", false)]
    [InlineData("9.2", "9.2", true)]
    [InlineData("9.3", "9.2", false)]
    [InlineData(null, "15.0", false)]
    [InlineData("15.0", null, false)]
    public void IsCompatible_client_and_server_majors_follow_barman(string? client, string? server, bool expected) =>
        PgReceiveWalCommandLine.IsCompatible(client is null ? null : Version.Parse(client), server is null ? null : Version.Parse(server))
            .Should().Be(expected);

    [Theory]
    [InlineData("FIRST 1 (barman_receive_wal, s2)", true)]
    [InlineData("ANY 2 (\"barman_receive_wal\", s2)", true)]
    [InlineData("*", true)]
    [InlineData("s1, *", true)]
    [InlineData("BARMAN_RECEIVE_WAL", false)]
    [InlineData("barman_receive_wal_2", false)]
    [InlineData("", false)]
    public void StandbyNamesContain_settings_follow_the_synchronous_rule(string setting, bool expected) =>
        PgReceiveWalCommandLine.StandbyNamesContain(setting, "barman_receive_wal").Should().Be(expected);

    [Fact]
    public void IsSynchronous_old_client_is_never_synchronous()
    {
        PgReceiveWalCommandLine.IsSynchronous(new Version(9, 4), new Version(9, 4), "*", "barman_receive_wal").Should().BeFalse();
        PgReceiveWalCommandLine.IsSynchronous(new Version(15, 0), new Version(15, 0), "*", "barman_receive_wal").Should().BeTrue();
    }

    [Fact]
    public void CommandName_server_below_10_is_pg_receivexlog()
    {
        PgReceiveWalCommandLine.CommandName(90624).Should().Be("pg_receivexlog");
        PgReceiveWalCommandLine.CommandName(150020).Should().Be("pg_receivewal");
    }

    [Fact]
    public void CandidateDirectories_adds_debian_layout_only_without_path_prefix()
    {
        var lib = Directory.CreateDirectory(Path.Combine(_temp.FullName, "lib"));
        Directory.CreateDirectory(Path.Combine(lib.FullName, "9.6"));
        Directory.CreateDirectory(Path.Combine(lib.FullName, "15"));
        Directory.CreateDirectory(Path.Combine(lib.FullName, "not-a-version"));

        PgReceiveWalCommandLine.CandidateDirectories("/a:/b", pathPrefixSet: false, lib.FullName).Should().Equal(
            "/a", "/b", Path.Combine(lib.FullName, "15", "bin"), Path.Combine(lib.FullName, "9.6", "bin"));
        PgReceiveWalCommandLine.CandidateDirectories("/p:/a", pathPrefixSet: true, lib.FullName).Should().Equal("/p", "/a");
        PgReceiveWalCommandLine.SearchPath("/p", "/a:/b").Should().Be("/p:/a:/b");
        PgReceiveWalCommandLine.SearchPath(null, "/a").Should().Be("/a");
    }

    [Fact]
    public async Task LocateAsync_skips_wrapper_whose_version_fails_and_finds_real_binary()
    {
        var wrapper = Directory.CreateDirectory(Path.Combine(_temp.FullName, "wrapper"));
        var script = Path.Combine(wrapper.FullName, "pg_receivewal");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'Error: no such version' >&2\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var notExecutable = Directory.CreateDirectory(Path.Combine(_temp.FullName, "plain"));
        await File.WriteAllTextAsync(Path.Combine(notExecutable.FullName, "pg_receivewal"), "not a program");
        var real = Infrastructure.Prerequisites.PostgresBinary("pg_receivewal");

        var found = await PgReceiveWalCommandLine.LocateAsync([wrapper.FullName, notExecutable.FullName, Path.GetDirectoryName(real)!]);

        found.Should().NotBeNull();
        found!.Path.Should().Be(real);
        found.VersionText.Should().StartWith("15.");
        found.Major.Should().Be(new Version(15, 0));
    }

    [Fact]
    public async Task LocateAsync_no_candidate_returns_null()
    {
        (await PgReceiveWalCommandLine.LocateAsync([_temp.FullName, "/nonexistent"])).Should().BeNull();
    }
}
