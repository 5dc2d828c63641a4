using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Barman.Wal.Checks;

/// <summary>
/// The pg_receivewal (or pg_receivexlog) binary check uses (spec: receive-wal §4.1): searched in
/// <c>path_prefix</c> then <c>PATH</c>; a candidate counts only if <c>--version</c> exits 0.
/// </summary>
/// <param name="Path">Absolute path of the binary.</param>
/// <param name="Version">Version text, e.g. <c>15.20</c>; null when unrecognisable.</param>
public sealed partial record ReceiveWalClient(string Path, string? Version)
{
    /// <summary>Finds the first working binary, or null.</summary>
    public static async Task<ReceiveWalClient?> FindAsync(string? pathPrefix, CancellationToken cancellationToken = default)
    {
        var search = pathPrefix is { Length: > 0 } ? $"{pathPrefix}:{Environment.GetEnvironmentVariable("PATH")}" : Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in search.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in (string[])["pg_receivewal", "pg_receivexlog"])
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, name));
                if (!File.Exists(candidate) || OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
                    continue;
                var stdout = await RunVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
                if (stdout is not null)
                    return new ReceiveWalClient(candidate, ParseVersion(stdout));
            }
        }

        return null;
    }

    /// <summary>The version from <c>--version</c> output: parenthesised groups removed, second word, must look like a version.</summary>
    public static string? ParseVersion(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var words = Parenthesised().Replace(output.Trim(), "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
            return null;
        return VersionShape().IsMatch(words[1]) ? words[1] : null;
    }

    private static async Task<string?> RunVersionAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path, "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
                return null;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 ? await stdout.ConfigureAwait(false) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^\d+(\.\d+|devel|beta|alpha|rc)")]
    private static partial Regex VersionShape();
}
