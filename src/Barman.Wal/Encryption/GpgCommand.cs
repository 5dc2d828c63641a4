using System.Diagnostics;
using System.Text;
using Serilog;

namespace Barman.Wal.Encryption;

/// <summary>
/// Runs the real <c>gpg</c> as a streaming filter: the input stream piped to its stdin, its stdout copied to
/// the output stream, stderr captured and logged at WARNING (logger <c>GPG</c>). No shell, no temp files.
/// </summary>
internal static class GpgCommand
{
    private const int BufferSize = 1 << 17;

    /// <summary>
    /// The gpg executable on <c>PATH</c> with <paramref name="pathPrefix"/> prepended; <c>gpg not in PATH</c> otherwise.
    /// </summary>
    public static string Locate(string? pathPrefix)
    {
        foreach (var directory in SearchPath(pathPrefix).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "gpg");
            if (File.Exists(candidate) && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }

        throw new GpgException("gpg not in PATH");
    }

    /// <summary>The search path: <c>&lt;path_prefix&gt;:&lt;PATH&gt;</c>, or <c>PATH</c>.</summary>
    public static string SearchPath(string? pathPrefix)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return string.IsNullOrEmpty(pathPrefix) ? path : pathPrefix + ":" + path;
    }

    /// <summary>
    /// Streams <paramref name="input"/> through <c>gpg &lt;arguments&gt;</c> into <paramref name="output"/>;
    /// returns gpg's exit status and stderr text. <paramref name="afterStart"/> runs right after
    /// the spawn (the decryptor closes its passphrase descriptor there).
    /// </summary>
    public static async Task<(int Status, string Stderr)> RunAsync(
        string gpg,
        IReadOnlyList<string> arguments,
        string? pathPrefix,
        Stream input,
        Stream output,
        ILogger logger,
        CancellationToken cancellationToken,
        Action? afterStart = null)
    {
        var start = new ProcessStartInfo(gpg)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        if (!string.IsNullOrEmpty(pathPrefix))
            start.Environment["PATH"] = SearchPath(pathPrefix);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GpgException($"{gpg} could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GpgException($"{gpg} could not be started: {e.Message}");
        }
        finally
        {
            afterStart?.Invoke();
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                // Feed and drain run together; when one side fails (input read error, output write error)
                // gpg is killed so that the other side cannot wait on it forever.
                var drain = process.StandardOutput.BaseStream.CopyToAsync(output, BufferSize, cancellationToken);
                var feed = FeedAsync(input, process.StandardInput.BaseStream, cancellationToken);
                var first = await Task.WhenAny(feed, drain).ConfigureAwait(false);
                if (first.IsFaulted || first.IsCanceled)
                    Kill(process);
                await Task.WhenAll(feed, drain).ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Kill(process);
                throw;
            }

            var errors = await stderr.ConfigureAwait(false);
            var gpgLog = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "GPG");
            foreach (var line in errors.Split('\n'))
            {
                if (line.Length > 0)
                    gpgLog.Warning("{Line}", line);
            }

            return (process.ExitCode, errors);
        }
    }

    /// <summary>Barman's failure text: the Python rendering of <c>{'ret': n, 'out': …, 'err': …}</c>.</summary>
    public static string FailureText(int status, string stdout, string stderr) =>
        $"{{'ret': {status}, 'out': {PythonRepr.String(stdout)}, 'err': {PythonRepr.String(stderr)}}}";

    /// <summary>Copies the input into gpg's stdin; gpg closing its end early (it failed) ends the copy quietly.</summary>
    private static async Task FeedAsync(Stream input, Stream stdin, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                try
                {
                    await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    return; // EPIPE: gpg exited; its status and stderr tell why.
                }
            }
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
