using System.Globalization;
using Barman.Wal.Checks;
using Barman.Wal.Output;

namespace Barman.Wal.Status;

/// <summary>barman-wal's own status lines, printed after Barman's; labels start with <c>barman-wal</c>, keys with <c>barman_wal_</c>.</summary>
internal static class WalStatusLines
{
    public static IEnumerable<StatusLine> Of(ServerWalStatus status)
    {
        yield return new("barman_wal_incoming_queue", "barman-wal incoming queue", Queue(status.Incoming));
        yield return new("barman_wal_streaming_queue", "barman-wal streaming queue", Queue(status.Streaming));
        yield return new("barman_wal_last_archived", "barman-wal last WAL archived", status switch
        {
            { CatalogProblem: { } problem } => $"FAILED ({problem})",
            { LastArchived: { } last, LastArchivedAge: { } age } => $"{last.Name}, {HumanInterval.Format(age)} ago",
            _ => "None",
        });
        foreach (var timeline in status.Timelines)
        {
            yield return new(string.Create(CultureInfo.InvariantCulture, $"barman_wal_timeline_{timeline.Timeline}"),
                string.Create(CultureInfo.InvariantCulture, $"barman-wal timeline {timeline.Timeline}"),
                string.Create(CultureInfo.InvariantCulture, $"{timeline.First} to {timeline.Last} ({timeline.Segments} segments)"));
        }

        yield return new("barman_wal_errors", "barman-wal files in errors", status.ErrorFiles.ToString(CultureInfo.InvariantCulture));
        yield return new("barman_wal_receive_wal", "barman-wal receive-wal running", status.ReceiveWalPid switch
        {
            null => "False",
            0 => "True",
            { } pid => string.Create(CultureInfo.InvariantCulture, $"True (pid {pid})"),
        });
    }

    private static string Queue(QueueStatus queue) => queue.OldestAge is not { } oldest
        ? "empty"
        : string.Create(CultureInfo.InvariantCulture,
            $"{queue.Files} file{(queue.Files == 1 ? "" : "s")}, {CheckDecisions.PrettySize(queue.Bytes)}, oldest {HumanInterval.Format(oldest)} old");
}
