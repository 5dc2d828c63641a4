using Barman.Wal.Configuration;
using Barman.Wal.Platform;

namespace Barman.Wal.Hosting;

/// <summary>
/// Barman's <c>barman_user</c> rule, applied right after the main configuration file is read and before
/// logging or any file access: already that user → nothing; root → the whole process becomes that user
/// (supplementary groups, gid, uid, <c>HOME</c>), so every file and child process is theirs; anyone
/// else → Barman's refusal. An unknown user is refused too.
/// </summary>
public static class BarmanUserSwitch
{
    /// <summary>Enforces the rule for <paramref name="user"/>.</summary>
    /// <param name="user">the configured <c>barman_user</c></param>
    /// <param name="switchProcess">
    /// true in the tool's own process; false when the CLI runs inside another program (tests): then root
    /// is never switched (the host process is not ours to change), the refusals still apply.
    /// </param>
    /// <param name="readOnlyVerb">
    /// true for get-wal, which PostgreSQL's <c>restore_command</c> runs as the postgres OS user: it only reads the
    /// archive, so a user other than root runs it as themselves (Barman refuses; see docs/compatibility.md).
    /// Root still switches to <c>barman_user</c>.
    /// </param>
    /// <exception cref="ConfigurationException">unknown user, or not root and not that user (exit 1).</exception>
    public static void Enforce(string user, bool switchProcess, bool readOnlyVerb = false)
    {
        if (readOnlyVerb && UserAccount.EffectiveUid != 0)
            return;
        var account = UserAccount.Find(user) ?? throw new ConfigurationException(
            $"barman_user: the configured user {IniFile.PyRepr(user)} does not exist",
            [$"ERROR: the configured user {IniFile.PyRepr(user)} does not exists"]);
        var current = UserAccount.EffectiveUid;
        if (account.Uid == current || (!switchProcess && current == 0))
            return;

        // not root: setgroups fails with EPERM before anything changes, as Barman's switch does
        if (!switchProcess || account.SwitchProcess() != 0)
        {
            throw new ConfigurationException(
                $"barman_user: please run barman as {IniFile.PyRepr(user)} user",
                [$"ERROR: please run barman as {IniFile.PyRepr(user)} user"]);
        }

        Environment.SetEnvironmentVariable("HOME", account.HomeDirectory);
    }
}
