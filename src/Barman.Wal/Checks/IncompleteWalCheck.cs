using System.Globalization;
using Barman.Wal.Archiving;
using Barman.Wal.Configuration;

namespace Barman.Wal.Checks;

/// <summary>
/// barman-wal's row after Barman's: a segment in <c>incoming</c> shorter than its segment size, which
/// archive-wal leaves waiting while a copy may still be writing it (<see cref="GrowingSegmentPolicy"/>).
/// Printed only when there is one: OK with its name and age while it is younger than
/// <c>incomplete_wal_timeout</c>, FAILED once it has stayed unmodified longer (the copy died).
/// </summary>
internal static class IncompleteWalCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = "incoming WAL being written";

    public static void Run(ServerOptions server, CheckStrategy strategy, TimeProvider clock)
    {
        if (!server.Archiver || server.IsPassive)
            return;
        strategy.Begin(Name);
        var found = GrowingSegmentPolicy.FindShortSegments(server.IncomingWalsDirectory);
        if (found.Count == 0)
            return;
        var policy = GrowingSegmentPolicy.Create(server, clock);
        var (name, size, segmentSize, time) = found.MaxBy(f => policy.Age(f.ModifyTime));
        var seconds = (long)policy.Age(time).TotalSeconds;
        var more = found.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (and {found.Count - 1} more)") : "";
        var detail = string.Create(CultureInfo.InvariantCulture, $"{name}{more}: {GrowingSegmentPolicy.ShortDetail(size, segmentSize)}, modified {seconds} s ago");
        if (policy.MayStillGrow(time))
        {
            strategy.Result(Name, true, detail);
            return;
        }

        strategy.Result(Name, false, CheckDecisions.WithAdvice(
            string.Create(CultureInfo.InvariantCulture, $"{detail}, longer than incomplete_wal_timeout ({(long)policy.Timeout.TotalSeconds} s)"),
            $"the copy into incoming stopped: check archive_command and the PostgreSQL log; the next 'barman-wal archive-wal {server.Name}' stops waiting for it"));
    }
}
