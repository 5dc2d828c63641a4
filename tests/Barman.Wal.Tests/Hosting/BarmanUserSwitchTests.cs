using Barman.Wal.Configuration;
using Barman.Wal.Hosting;
using Barman.Wal.Platform;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Hosting;

/// <summary>
/// The account lookup and the in-process (verify-only) side of <see cref="BarmanUserSwitch"/>; the real
/// switch of a process is proven end to end by <see cref="BarmanUserEndToEndTests"/>.
/// </summary>
public sealed class BarmanUserSwitchTests
{
    [Fact]
    public void Find_root_reads_the_user_database()
    {
        var root = UserAccount.Find("root");

        root.Should().Be(new UserAccount("root", 0, 0, "/root"));
        root!.Groups().Should().Contain(0u);
    }

    [Theory]
    [InlineData("no-such-barman-user")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Find_unknown_user_is_null(string name) => UserAccount.Find(name).Should().BeNull();

    [Fact]
    public void Find_matches_etc_passwd_for_the_test_users()
    {
        foreach (var name in new[] { "postgres", OsUser.ToolUserName })
        {
            var expected = OsUser.Find(name, "scripts/install-test-prereqs.sh");
            var account = UserAccount.Find(name)!;
            account.Uid.Should().Be((uint)expected.Uid);
            account.Gid.Should().Be((uint)expected.Gid);
            account.HomeDirectory.Should().Be(expected.HomeDirectory);
            account.Groups().Should().Contain((uint)expected.Gid);
        }
    }

    [Theory]
    [InlineData("no-such-barman-user", "ERROR: the configured user 'no-such-barman-user' does not exists")]
    [InlineData("o'brien", "ERROR: the configured user \"o'brien\" does not exists")]
    public void Enforce_unknown_user_gives_Barman_line(string user, string line)
    {
        var act = () => BarmanUserSwitch.Enforce(user, switchProcess: false);

        act.Should().Throw<ConfigurationException>().Which.StderrLines.Should().Equal(line);
    }

    [Fact]
    public void Enforce_in_process_as_root_never_switches_the_host_process()
    {
        var euid = UserAccount.EffectiveUid;
        if (euid != 0)
            throw new PrerequisiteMissingException("this test is about root: run the tests as root");

        BarmanUserSwitch.Enforce("root", switchProcess: false);
        BarmanUserSwitch.Enforce(OsUser.ToolUserName, switchProcess: false);

        UserAccount.EffectiveUid.Should().Be(0);
    }
}
