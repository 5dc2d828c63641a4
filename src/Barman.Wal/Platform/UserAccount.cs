using System.Runtime.InteropServices;

namespace Barman.Wal.Platform;

/// <summary>
/// An OS account as the system user database (getpwnam_r) describes it, and the switch of the whole
/// process to it (supplementary groups, gid, uid — glibc applies each to every thread).
/// </summary>
public sealed record UserAccount(string Name, uint Uid, uint Gid, string HomeDirectory)
{
    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUid => NativeMethods.geteuid();

    /// <summary>Looks <paramref name="name"/> up; null when the system knows no such user.</summary>
    public static unsafe UserAccount? Find(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
            return null;
        for (var size = 1024; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            NativeMethods.Passwd entry;
            NativeMethods.Passwd* result;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = NativeMethods.getpwnam_r(name, &entry, b, size, &result);
                if (rc == 0 && result is not null)
                {
                    return new UserAccount(
                        Marshal.PtrToStringUTF8((nint)entry.Name) ?? name,
                        entry.Uid,
                        entry.Gid,
                        Marshal.PtrToStringUTF8((nint)entry.Directory) ?? "/");
                }
            }

            if (rc != NativeMethods.ERANGE)
                return null;
        }

        return null;
    }

    /// <summary>The groups the account belongs to (its primary group included), per getgrouplist.</summary>
    public unsafe IReadOnlyList<uint> Groups()
    {
        var count = 32;
        while (true)
        {
            var groups = new uint[count];
            int n = count;
            fixed (uint* g = groups)
            {
                if (NativeMethods.getgrouplist(Name, Gid, g, &n) >= 0)
                    return groups[..n];
            }

            count = Math.Max(n, count * 2);
        }
    }

    /// <summary>
    /// Switches every thread of the process to this account: setgroups, setgid, setuid (in that order,
    /// so nothing of the old identity survives). Returns errno, 0 on success; EPERM when not privileged.
    /// </summary>
    public unsafe int SwitchProcess()
    {
        var groups = Groups().ToArray();
        fixed (uint* g = groups)
        {
            if (NativeMethods.setgroups(groups.Length, g) != 0)
                return Marshal.GetLastPInvokeError();
        }

        if (NativeMethods.setgid(Gid) != 0)
            return Marshal.GetLastPInvokeError();
        return NativeMethods.setuid(Uid) != 0 ? Marshal.GetLastPInvokeError() : 0;
    }
}
