using System.Globalization;
using Barman.Wal.Postgres;

namespace Barman.Wal.Checks;

/// <summary>The pure decision rules of the checks (spec: check §4), kept free of I/O so they are tested with tables.</summary>
public static class CheckDecisions
{
    /// <summary>
    /// The <c>replication slot</c> line (spec: check §4.6): null when nothing is printed, else
    /// (ok, hint). <paramref name="slot"/> null = missing.
    /// </summary>
    public static (bool Ok, string Hint)? ReplicationSlot(string server, string slotName, bool streamingArchiver, ReplicationSlotInfo? slot)
    {
        if (streamingArchiver)
        {
            if (slot is null)
                return (false, $"replication slot '{slotName}' doesn't exist. Please execute 'barman receive-wal --create-slot {server}'");
            if (slot.RestartLsn is null)
                return (false, $"slot '{slotName}' not initialised: is 'receive-wal' running?");
            if (!slot.Active)
                return (false, $"slot '{slotName}' not active: is 'receive-wal' running?");
            return (true, "");
        }

        if (slot?.RestartLsn is null)
            return null;
        return slot.Active
            ? (true, $"WARNING: slot '{slotName}' is active but not required by the current config")
            : (true, $"WARNING: slot '{slotName}' is initialised but not required by the current config");
    }

    /// <summary>The <c>systemid coherence</c> line (spec: check §4.10); <paramref name="storedSystemId"/> "" = unreadable file.</summary>
    public static (bool Ok, string Hint) SystemIdCoherence(ulong? streamingId, ulong? normalId, string identityPath, bool identityExists, string? storedSystemId)
    {
        if (streamingId is not null && normalId is not null && streamingId != normalId)
            return (false, "is the streaming DSN targeting the same server of the PostgreSQL connection string?");
        var id = normalId ?? streamingId;
        if (id is null)
            return (true, "no system Id available");
        if (!identityExists)
            return (true, "no system Id stored on disk");
        if (storedSystemId != id.Value.ToString(CultureInfo.InvariantCulture))
            return (false, $"the system Id of the connected PostgreSQL server changed, stored in \"{identityPath}\"");
        return (true, "");
    }

    /// <summary>Queue length for rows 2–5 (spec: check §4.2): entries without a leading dot and not ending in <c>.tmp</c>; streaming minus one.</summary>
    public static int QueueLength(IEnumerable<string> entryNames, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(entryNames);
        var count = entryNames.Count(n => !n.StartsWith('.') && !n.EndsWith(".tmp", StringComparison.Ordinal));
        return streaming ? count - 1 : count;
    }

    /// <summary>Whether archive_mode passes (<c>on</c> or <c>always</c>).</summary>
    public static bool ArchiveModeOk(string mode) => mode is "on" or "always";

    /// <summary>Whether archive_command passes (non-empty and not <c>(disabled)</c>).</summary>
    public static bool ArchiveCommandOk(string command) => command.Trim().Length > 0 && command != "(disabled)";

    /// <summary>
    /// pg_receivewal compatibility (spec: receive-wal §4.2): client major ≥ server major; unknown either side → false.
    /// </summary>
    public static bool ReceiveWalCompatible(string? clientVersion, int? serverVersionNum)
    {
        if (clientVersion is null || serverVersionNum is null || MajorOf(clientVersion) is not { } client)
            return false;
        var server = ServerMajor(serverVersionNum.Value);
        return client >= server;
    }

    /// <summary>The major of a client version text as a comparable number: <c>15.20</c> → 15, <c>9.6.24</c> → 9.6, <c>17beta1</c> → 17.</summary>
    public static decimal? MajorOf(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^(\d+(?:\.\d+)*)(devel|beta|alpha|rc)?");
        if (!m.Success)
            return null;
        var number = m.Groups[1].Value;
        if (!m.Groups[2].Success && number.Contains('.', StringComparison.Ordinal))
            number = number[..number.LastIndexOf('.')];
        return decimal.Parse(number, CultureInfo.InvariantCulture);
    }

    /// <summary>The server major from server_version_num: 150018 → 15, 90624 → 9.6.</summary>
    public static decimal ServerMajor(int versionNum) => versionNum >= 100000
        ? versionNum / 10000
        : (versionNum / 10000) + ((versionNum / 100 % 100) / 10m);

    /// <summary>The server version as Barman shows it in hints: 150018 → <c>15.18</c>, 90624 → <c>9.6.24</c>.</summary>
    public static string ServerVersionText(int versionNum) => versionNum >= 100000
        ? $"{versionNum / 10000}.{versionNum % 10000}"
        : $"{versionNum / 10000}.{versionNum / 100 % 100}.{versionNum % 100}";

    /// <summary>Bytes in Barman's 1024-based form: <c>0 B</c>, <c>512 B</c>, <c>16.0 MiB</c>.</summary>
    public static string PrettySize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB"];
        if (Math.Abs(bytes) < 1024)
            return $"{bytes} B";
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>The <c>archiver errors</c> summary (spec: archive-wal §11): <c>label: count</c> pairs in order of first appearance.</summary>
    public static string SummariseErrorFiles(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var counts = new List<(string Label, int Count)>();
        foreach (var name in names)
        {
            var label = name.EndsWith(".error", StringComparison.Ordinal) ? "not relevant"
                : name.EndsWith(".duplicate", StringComparison.Ordinal) ? "duplicates"
                : name.EndsWith(".unknown", StringComparison.Ordinal) ? "unknown"
                : "unknown failure";
            var i = counts.FindIndex(c => c.Label == label);
            if (i < 0)
                counts.Add((label, 1));
            else
                counts[i] = (label, counts[i].Count + 1);
        }

        return string.Join(", ", counts.Select(c => $"{c.Label}: {c.Count}"));
    }

    /// <summary>Appends barman-wal's "what to do next" advice after Barman's hint.</summary>
    public static string WithAdvice(string barmanHint, string advice) =>
        barmanHint.Length == 0 ? advice : advice.Length == 0 ? barmanHint : $"{barmanHint}; {advice}";
}
