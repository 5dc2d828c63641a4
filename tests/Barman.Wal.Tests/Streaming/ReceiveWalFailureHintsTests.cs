using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

public sealed class ReceiveWalFailureHintsTests
{
    [Fact]
    public void Hint_removed_wal_line_points_to_reset_and_new_backup()
    {
        var hints = new ReceiveWalFailureHints();
        hints.Observe("pg_receivewal: starting log streaming at 0/1000000 (timeline 1)");
        hints.Observe("pg_receivewal: error: unexpected termination of replication stream: ERROR:  requested WAL segment 000000010000000000000001 has already been removed");

        hints.Hint("pg1").Should().Contain("already removed from the server").And.Contain("barman-wal receive-wal --reset pg1").And.Contain("new backup");
    }

    [Fact]
    public void Hint_timeline_fork_line_points_to_reset()
    {
        var hints = new ReceiveWalFailureHints();
        hints.Observe("pg_receivewal: error: could not send replication command \"START_REPLICATION\": ERROR:  requested starting point 0/5000000 on timeline 1 is not in this server's history");

        hints.Hint("pg1").Should().Contain("timeline forked").And.Contain("--reset pg1");
    }

    [Fact]
    public void Hint_ordinary_lines_give_none()
    {
        var hints = new ReceiveWalFailureHints();
        hints.Observe("pg_receivewal: starting log streaming at 0/1000000 (timeline 1)");
        hints.Observe("pg_receivewal: error: could not connect to server: Connection refused");

        hints.Hint("pg1").Should().BeNull();
    }
}
