using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

/// <summary>The note receive-wal --stop leaves before its SIGTERM, and the process identity it names.</summary>
public sealed class ReceiveWalStopRequestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stop-request-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Note_sits_next_to_the_lock_and_is_not_a_lock_file()
    {
        ReceiveWalStopRequest.PathFor(_dir, "pg1.example").Should().Be(Path.Combine(_dir, ".pg1.example-receive-wal.stop"));
    }

    [Fact]
    public void Process_named_by_the_note_claims_it_once()
    {
        var self = ProcessIdentity.Current!.Value;
        self.Pid.Should().Be(Environment.ProcessId);

        ReceiveWalStopRequest.Write(_dir, "pg1", self);

        File.ReadAllText(ReceiveWalStopRequest.PathFor(_dir, "pg1")).Should().Be($"{self.Pid} {self.StartTicks}\n");
        ReceiveWalStopRequest.Claim(_dir, "pg1", self).Should().BeTrue();
        File.Exists(ReceiveWalStopRequest.PathFor(_dir, "pg1")).Should().BeFalse();
        ReceiveWalStopRequest.Claim(_dir, "pg1", self).Should().BeFalse("a SIGTERM after the claimed stop is an ordinary one");
        Directory.GetFileSystemEntries(_dir).Should().BeEmpty("no staging file is left");
    }

    [Fact]
    public void Note_naming_an_earlier_process_with_the_same_pid_is_not_claimed_nor_removed()
    {
        var self = ProcessIdentity.Current!.Value;
        var earlier = self with { StartTicks = self.StartTicks - 1 };
        ReceiveWalStopRequest.Write(_dir, "pg1", earlier);

        ReceiveWalStopRequest.Claim(_dir, "pg1", self).Should().BeFalse();
        ReceiveWalStopRequest.Remove(_dir, "pg1", self);

        File.ReadAllText(ReceiveWalStopRequest.PathFor(_dir, "pg1")).Should().Be(earlier + "\n");
        ReceiveWalStopRequest.Remove(_dir, "pg1", earlier);
        File.Exists(ReceiveWalStopRequest.PathFor(_dir, "pg1")).Should().BeFalse();
    }

    [Fact]
    public void Missing_or_garbled_note_names_nobody()
    {
        var self = ProcessIdentity.Current!.Value;
        ReceiveWalStopRequest.Claim(_dir, "pg1", self).Should().BeFalse();
        File.WriteAllText(ReceiveWalStopRequest.PathFor(_dir, "pg1"), $"{self.Pid}\n");
        ReceiveWalStopRequest.Claim(_dir, "pg1", self).Should().BeFalse();
    }

    [Theory]
    [InlineData("123 456", 123, 456L)]
    [InlineData("123 456\n", 123, 456L)]
    public void Identity_parses_its_own_form(string text, int pid, long ticks)
    {
        ProcessIdentity.Parse(text).Should().Be(new ProcessIdentity(pid, ticks));
    }

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("0 456")]
    [InlineData("-1 456")]
    [InlineData("123 abc")]
    [InlineData("123 456 789")]
    public void Identity_rejects_anything_else(string text)
    {
        ProcessIdentity.Parse(text).Should().BeNull();
    }

    [Fact]
    public void Identity_of_a_missing_process_is_null_and_differs_between_processes()
    {
        ProcessIdentity.Of(int.MaxValue).Should().BeNull();
        var parent = ProcessIdentity.Of(Environment.ProcessId)!.Value;
        parent.Should().Be(ProcessIdentity.Current);
        ProcessIdentity.Of(1)!.Value.Should().NotBe(parent);
    }
}
