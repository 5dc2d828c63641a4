using Barman.Wal.Checks;
using Barman.Wal.Postgres;

namespace Barman.Wal.Tests.Checks;

public sealed class CheckDecisionsTests
{
    [Fact]
    public void ReplicationSlot_streaming_missing_asks_to_create_it()
    {
        CheckDecisions.ReplicationSlot("pg1", "barman", true, null).Should().Be(
            (false, "replication slot 'barman' doesn't exist. Please execute 'barman receive-wal --create-slot pg1'"));
    }

    [Fact]
    public void ReplicationSlot_streaming_states_follow_the_table()
    {
        CheckDecisions.ReplicationSlot("pg1", "barman", true, new ReplicationSlotInfo("barman", false, null))
            .Should().Be((false, "slot 'barman' not initialised: is 'receive-wal' running?"));
        CheckDecisions.ReplicationSlot("pg1", "barman", true, new ReplicationSlotInfo("barman", false, 42))
            .Should().Be((false, "slot 'barman' not active: is 'receive-wal' running?"));
        CheckDecisions.ReplicationSlot("pg1", "barman", true, new ReplicationSlotInfo("barman", true, 42))
            .Should().Be((true, ""));
    }

    [Fact]
    public void ReplicationSlot_not_streaming_warns_only_about_initialised_slots()
    {
        CheckDecisions.ReplicationSlot("pg1", "s", false, null).Should().BeNull();
        CheckDecisions.ReplicationSlot("pg1", "s", false, new ReplicationSlotInfo("s", false, null)).Should().BeNull();
        CheckDecisions.ReplicationSlot("pg1", "s", false, new ReplicationSlotInfo("s", false, 1))
            .Should().Be((true, "WARNING: slot 's' is initialised but not required by the current config"));
        CheckDecisions.ReplicationSlot("pg1", "s", false, new ReplicationSlotInfo("s", true, 1))
            .Should().Be((true, "WARNING: slot 's' is active but not required by the current config"));
    }

    [Theory]
    [InlineData(1ul, 2ul, false, null, false, "is the streaming DSN targeting the same server of the PostgreSQL connection string?")]
    [InlineData(null, null, true, "7", true, "no system Id available")]
    [InlineData(7ul, null, false, null, true, "no system Id stored on disk")]
    [InlineData(null, 7ul, true, "8", false, "the system Id of the connected PostgreSQL server changed, stored in \"/b/identity.json\"")]
    [InlineData(null, 7ul, true, "", false, "the system Id of the connected PostgreSQL server changed, stored in \"/b/identity.json\"")]
    [InlineData(7ul, 7ul, true, "7", true, "")]
    public void SystemIdCoherence_follows_the_rules(ulong? streaming, ulong? normal, bool exists, string? stored, bool ok, string hint)
    {
        CheckDecisions.SystemIdCoherence(streaming, normal, "/b/identity.json", exists, stored).Should().Be((ok, hint));
    }

    [Fact]
    public void QueueLength_ignores_dot_files_and_tmp_and_subtracts_the_partial()
    {
        string[] names = ["000000010000000000000001", ".hidden", "x.tmp", "000000010000000000000002.partial"];
        CheckDecisions.QueueLength(names, streaming: false).Should().Be(2);
        CheckDecisions.QueueLength(names, streaming: true).Should().Be(1);
        CheckDecisions.QueueLength([], streaming: true).Should().Be(-1);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("always", true)]
    [InlineData("off", false)]
    public void ArchiveModeOk_accepts_on_and_always(string mode, bool ok) => CheckDecisions.ArchiveModeOk(mode).Should().Be(ok);

    [Theory]
    [InlineData("cp %p /x/%f", true)]
    [InlineData("", false)]
    [InlineData("(disabled)", false)]
    public void ArchiveCommandOk_rejects_empty_and_disabled(string command, bool ok) => CheckDecisions.ArchiveCommandOk(command).Should().Be(ok);

    [Theory]
    [InlineData("15.20", 150018, true)]
    [InlineData("16.1", 150018, true)]
    [InlineData("14.9", 150018, false)]
    [InlineData("9.6.24", 90624, true)]
    [InlineData("10.1", 90624, true)]
    [InlineData("17beta1", 170000, true)]
    [InlineData(null, 150018, false)]
    [InlineData("15.20", null, false)]
    public void ReceiveWalCompatible_needs_client_major_at_least_server_major(string? client, int? server, bool ok) =>
        CheckDecisions.ReceiveWalCompatible(client, server).Should().Be(ok);

    [Theory]
    [InlineData("pg_receivewal (PostgreSQL) 15.20", "15.20")]
    [InlineData("pg_receivewal (PostgreSQL) 15.20 (Debian 15.20-1)", "15.20")]
    [InlineData("pg_receivexlog (PostgreSQL) 17beta1", "17beta1")]
    [InlineData("garbage", null)]
    [InlineData("pg_receivewal (PostgreSQL) x.y", null)]
    public void ParseVersion_takes_the_second_word_without_parentheses(string output, string? version) =>
        Barman.Wal.Streaming.PgReceiveWalCommandLine.ParseVersionOutput(output).Should().Be(version);

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(512L, "512 B")]
    [InlineData(16777216L, "16.0 MiB")]
    [InlineData(1610612736L, "1.5 GiB")]
    public void PrettySize_uses_1024_units(long bytes, string text) => CheckDecisions.PrettySize(bytes).Should().Be(text);

    [Fact]
    public void SummariseErrorFiles_counts_by_suffix_in_first_appearance_order()
    {
        CheckDecisions.SummariseErrorFiles(["a.20260101T000000Z.duplicate", "b.20260101T000000Z.unknown", "c.20260101T000000Z.duplicate", "notes", "d.error"])
            .Should().Be("duplicates: 2, unknown: 1, unknown failure: 1, not relevant: 1");
    }

    [Fact]
    public void ServerVersionText_formats_both_numbering_schemes()
    {
        CheckDecisions.ServerVersionText(150018).Should().Be("15.18");
        CheckDecisions.ServerVersionText(90624).Should().Be("9.6.24");
    }

    [Fact]
    public void WithAdvice_keeps_barman_hint_first()
    {
        CheckDecisions.WithAdvice("hint", "do this").Should().Be("hint; do this");
        CheckDecisions.WithAdvice("", "do this").Should().Be("do this");
    }
}
