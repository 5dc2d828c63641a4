using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Barman.Wal.Postgres;

namespace Barman.Wal.Streaming;

/// <summary>
/// Barman's pg_receivewal command line (spec: receive-wal §4): locating the binary, reading its
/// version, the client/server compatibility rules and the exact argv.
/// </summary>
public static partial class PgReceiveWalCommandLine
{
    /// <summary>Where Debian/Ubuntu install the real binaries (barman-wal's fallback after the search path).</summary>
    public const string DebianLibDirectory = "/usr/lib/postgresql";

    private static readonly Version MinimumVersion = new(9, 2);
    private static readonly Version SlotVersion = new(9, 4);
    private static readonly Version SynchronousClientVersion = new(9, 5);

    /// <summary>The command name Barman reports: pg_receivewal for servers ≥ 10, else pg_receivexlog.</summary>
    public static string CommandName(int serverVersionNum) => serverVersionNum >= 100000 ? "pg_receivewal" : "pg_receivexlog";

    /// <summary>The search path: <c>path_prefix:$PATH</c>, or <c>$PATH</c>.</summary>
    public static string SearchPath(string? pathPrefix, string? pathEnvironment)
    {
        var path = pathEnvironment ?? string.Empty;
        return string.IsNullOrEmpty(pathPrefix) ? path : $"{pathPrefix}:{path}";
    }

    /// <summary>
    /// The directories tried in order: the search path, then — only when <c>path_prefix</c> is unset
    /// (barman-wal addition) — the Debian layout <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>, newest
    /// major first, for hosts whose PATH lacks PostgreSQL's client tools.
    /// </summary>
    public static IReadOnlyList<string> CandidateDirectories(string searchPath, bool pathPrefixSet, string debianLibDirectory = DebianLibDirectory)
    {
        var directories = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!pathPrefixSet && Directory.Exists(debianLibDirectory))
        {
            var debian = Directory.EnumerateDirectories(debianLibDirectory)
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: ParseMajor(Path.GetFileName(d))))
                .Where(d => d.Major is not null)
                .OrderByDescending(d => d.Major)
                .Select(d => d.Dir);
            directories.AddRange(debian.Where(d => !directories.Contains(d)));
        }

        return directories;
    }

    /// <summary>
    /// The first <c>pg_receivewal</c> / <c>pg_receivexlog</c> in <paramref name="directories"/> that is
    /// executable and whose <c>--version</c> exits 0; null when none passes.
    /// </summary>
    public static async Task<PgReceiveWalBinary?> LocateAsync(IReadOnlyList<string> directories, CancellationToken cancellationToken = default)
    {
        foreach (var directory in directories)
        {
            foreach (var name in (string[])["pg_receivewal", "pg_receivexlog"])
            {
                var candidate = Path.GetFullPath(Path.Combine(directory, name));
                if (!IsExecutable(candidate))
                    continue;
                var stdout = await RunVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
                if (stdout is null)
                    continue;
                var version = ParseVersionOutput(stdout);
                return new PgReceiveWalBinary(candidate, version, version is null ? null : ParseMajor(version));
            }
        }

        return null;
    }

    /// <summary>
    /// The version in <c>--version</c> output: parenthesised groups removed, the second word, when it
    /// looks like a PostgreSQL version (<c>15.20</c>, <c>17beta1</c>); else null.
    /// </summary>
    public static string? ParseVersionOutput(string stdout)
    {
        var text = ParenthesisedGroup().Replace(stdout.Trim(), string.Empty);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
            return null;
        return VersionShape().IsMatch(words[1]) ? words[1] : null;
    }

    /// <summary>The major version: <c>15.20</c>→15, <c>9.6.24</c>→9.6, <c>17beta1</c>→17; null when not a version.</summary>
    public static Version? ParseMajor(string version)
    {
        var prerelease = PrereleaseMajor().Match(version);
        if (prerelease.Success)
            return new Version(int.Parse(prerelease.Groups[1].Value, CultureInfo.InvariantCulture), 0);
        var parts = version.Split('.');
        if (parts.Length == 0 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            return null;
        var major = parts.Length == 1 ? parts : parts[..^1];
        var numbers = major.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length == 1 ? new Version(numbers[0], 0) : new Version(numbers[0], numbers[1]);
    }

    /// <summary>The server major from server_version_num: 150020→15, 90624→9.6.</summary>
    public static Version ServerMajor(int serverVersionNum) => serverVersionNum >= 100000
        ? new Version(serverVersionNum / 10000, 0)
        : new Version(serverVersionNum / 10000, serverVersionNum / 100 % 100);

    /// <summary>Barman's compatibility rule: both known and S = C = 9.2, or 9.2 &lt; S ≤ C.</summary>
    public static bool IsCompatible(Version? client, Version? server)
    {
        if (client is null || server is null)
            return false;
        if (server == MinimumVersion && client == MinimumVersion)
            return true;
        return server > MinimumVersion && server <= client;
    }

    /// <summary>Physical slots usable: 9.4 ≤ S ≤ C.</summary>
    public static bool SupportsSlots(Version? client, Version? server) =>
        client is not null && server is not null && server >= SlotVersion && server <= client;

    /// <summary>
    /// The synchronous rule: S ≥ 9.4, C ≥ 9.5, and <c>synchronous_standby_names</c> lists <c>*</c> or
    /// exactly <paramref name="archiverName"/> (case-sensitive).
    /// </summary>
    public static bool IsSynchronous(Version? client, Version? server, string? synchronousStandbyNames, string archiverName) =>
        MayBeSynchronous(client, server) && StandbyNamesContain(synchronousStandbyNames, archiverName);

    /// <summary>The version part of the synchronous rule: S ≥ 9.4 and C ≥ 9.5.</summary>
    public static bool MayBeSynchronous(Version? client, Version? server) =>
        client is not null && server is not null && server >= SlotVersion && client >= SynchronousClientVersion;

    /// <summary>True when the setting's list (the part in parentheses, if any) holds <c>*</c> or the name.</summary>
    public static bool StandbyNamesContain(string? synchronousStandbyNames, string archiverName)
    {
        if (string.IsNullOrWhiteSpace(synchronousStandbyNames))
            return false;
        var text = synchronousStandbyNames;
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open >= 0 && close > open)
            text = text[(open + 1)..close];
        var names = text.Split(',').Select(n => n.Trim(' ').Replace("\"", string.Empty, StringComparison.Ordinal));
        return names.Any(n => n == "*" || n == archiverName);
    }

    /// <summary>
    /// The argv, binary first: <c>--dbname=</c>, <c>--verbose</c>, <c>--no-loop</c>, <c>--no-password</c>,
    /// <c>--directory=</c>, then <c>--slot=</c> and <c>--synchronous</c> when they apply.
    /// </summary>
    /// <exception cref="ConnInfoException">The conninfo has a token without <c>=</c>.</exception>
    public static IReadOnlyList<string> BuildArguments(
        string binaryPath,
        string streamingConninfo,
        string archiverName,
        string streamingDirectory,
        string? slotName,
        bool synchronous)
    {
        var argv = new List<string>
        {
            binaryPath,
            "--dbname=" + ConnInfo.ToPgReceiveWalDbName(streamingConninfo, archiverName),
            "--verbose",
            "--no-loop",
            "--no-password",
            "--directory=" + streamingDirectory,
        };
        if (!string.IsNullOrEmpty(slotName))
            argv.Add("--slot=" + slotName);
        if (synchronous)
            argv.Add("--synchronous");
        return argv;
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            return File.Exists(path) && !OperatingSystem.IsWindows() &&
                   (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<string?> RunVersionAsync(string path, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--version");
        try
        {
            using var process = Process.Start(info);
            if (process is null)
                return null;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                return null;
            }

            await stderr.ConfigureAwait(false);
            var text = await stdout.ConfigureAwait(false);
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex ParenthesisedGroup();

    [GeneratedRegex(@"^\d+(\.\d+|devel|beta|alpha|rc)")]
    private static partial Regex VersionShape();

    [GeneratedRegex(@"^(\d+)(devel|beta|alpha|rc)")]
    private static partial Regex PrereleaseMajor();
}
