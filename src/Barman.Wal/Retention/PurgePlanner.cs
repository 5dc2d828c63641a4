using Barman.Wal.Backups;
using Barman.Wal.Catalog;
using Barman.Wal.Xlog;

namespace Barman.Wal.Retention;

/// <summary>
/// Decides which archived WAL no recovery can need (spec: retention §2–§3), without touching anything.
/// <list type="bullet">
/// <item>With an available Barman backup: exactly what Barman keeps after deleting every backup older than the
/// oldest available one O — history files, WAL of timelines of the other live backups (STARTED,
/// WAITING_FOR_WALS, DONE, SYNCING) except O's own, and every name sorting at or after O's <c>begin_wal</c>.</item>
/// <item>Without one: only with an explicit <see cref="PurgePolicy"/>; history files and the newest segment of each
/// timeline always stay.</item>
/// </list>
/// A policy given together with backups can only keep more. Names compare ordinally on the whole name, as Barman's.
/// </summary>
public static class PurgePlanner
{
    /// <summary>The plan, or null when nothing may be purged (no available backup and no policy).</summary>
    public static PurgePlan? Plan(
        IReadOnlyList<WalFileInfo> catalog, IReadOnlyList<WalFileInfo> orphans, BackupCatalog backups, PurgePolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(orphans);
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentNullException.ThrowIfNull(policy);
        var oldest = backups.FirstAvailable;
        if (oldest is null && policy.IsEmpty)
            return null;

        var named = new List<(WalFileInfo Wal, WalName Name)>(catalog.Count + orphans.Count);
        var invalid = new List<string>();
        var kept = new List<WalFileInfo>(catalog.Count);
        foreach (var wal in catalog)
        {
            if (WalName.TryParse(wal.Name, out var name))
                named.Add((wal, name));
            else
                invalid.Add(wal.Name);
        }

        foreach (var orphan in orphans)
            named.Add((orphan, WalName.Parse(orphan.Name)));

        var rules = new List<Func<WalName, WalFileInfo, bool>>();
        var descriptions = new List<string>();
        if (oldest is not null)
        {
            var protectedTimelines = backups.Backups
                .Where(b => string.CompareOrdinal(b.Id, oldest.Id) > 0 && BackupStatus.ProtectingTimeline.Contains(b.Status))
                .Select(b => b.EffectiveTimeline)
                .Where(t => t is not null && t != oldest.EffectiveTimeline)
                .Select(t => (uint)t!.Value)
                .ToHashSet();
            var begin = oldest.BeginWal!;
            rules.Add((name, _) => !protectedTimelines.Contains(name.Timeline) && string.CompareOrdinal(name.Name, begin) < 0);
            descriptions.Add($"before {begin} (begin of the oldest available backup {oldest.Id})");
        }

        if (!policy.IsEmpty)
        {
            var segments = named.Where(n => n.Name.Kind != WalFileKind.History).ToList();
            var cut = PolicyCut(segments, policy, now);
            var newestPerTimeline = segments.Where(n => n.Name.Kind == WalFileKind.Segment)
                .GroupBy(n => n.Name.Timeline)
                .Select(g => g.Select(n => n.Name.Name).Max(StringComparer.Ordinal)!)
                .ToHashSet(StringComparer.Ordinal);
            rules.Add((name, _) => cut is not null && string.CompareOrdinal(name.Name, cut) < 0 && !newestPerTimeline.Contains(name.Name));
            descriptions.Add(cut is null ? $"{policy.Describe()}: nothing due" : $"before {cut} ({policy.Describe()})");
        }

        var removed = new List<WalFileInfo>();
        var removedOrphans = new List<WalFileInfo>();
        var catalogued = catalog.Count - invalid.Count;
        for (var i = 0; i < named.Count; i++)
        {
            var (wal, name) = named[i];
            var remove = name.Kind != WalFileKind.History && rules.TrueForAll(rule => rule(name, wal));
            if (i >= catalogued)
            {
                if (remove)
                    removedOrphans.Add(wal);
            }
            else if (remove)
            {
                removed.Add(wal);
            }
            else
            {
                kept.Add(wal);
            }
        }

        return new PurgePlan(string.Join("; ", descriptions), kept, removed, removedOrphans, invalid);
    }

    /// <summary>The first name to keep under <paramref name="policy"/> (the most conservative of its options), or null.</summary>
    private static string? PolicyCut(List<(WalFileInfo Wal, WalName Name)> entries, PurgePolicy policy, DateTimeOffset now)
    {
        if (entries.Count == 0)
            return null;
        var byName = entries.OrderBy(e => e.Name.Name, StringComparer.Ordinal).ToList();
        var cuts = new List<string>();
        if (policy.Before is { } before)
            cuts.Add(before);
        if (policy.KeepDays is { } days)
        {
            var cutoff = (now - TimeSpan.FromDays(days)).ToUnixTimeMilliseconds() / 1000.0;
            var recent = byName.FirstOrDefault(e => e.Wal.Time >= cutoff);
            cuts.Add(Segment(recent.Wal is null ? byName[^1].Name : recent.Name));
        }

        if (policy.KeepSize is { } limit)
        {
            long total = 0;
            var cut = byName[^1].Name;
            for (var i = byName.Count - 1; i >= 0; i--)
            {
                total += byName[i].Wal.Size;
                if (total > limit)
                    break;
                cut = byName[i].Name;
            }

            cuts.Add(Segment(cut));
        }

        return cuts.Min(StringComparer.Ordinal);
    }

    /// <summary>The segment a name belongs to (its first 24 characters), so labels and partials follow their segment.</summary>
    private static string Segment(WalName name) => name.Name[..24];
}
