using System.Diagnostics;
using System.Text;

namespace Barman.Wal.Compression;

/// <summary>
/// One run of a filter command (<c>pigz -c -6</c>, a custom filter) through <c>/bin/sh -c</c>, as Barman
/// runs them (<c>&lt;filter&gt; &gt; "$dst" &lt; "$src"</c>), with stdin/stdout as pipes so the data streams.
/// </summary>
internal sealed class ShellFilterProcess : IDisposable
{
    private const int MaxStderr = 4096;
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private bool _disposed;

    internal ShellFilterProcess(string command, string description)
        : this(command, description, redirectFiles: null)
    {
    }

    /// <param name="command">The filter command.</param>
    /// <param name="description">What it does, for messages (<c>pigz compression</c>).</param>
    /// <param name="redirectFiles">
    /// When set, the shell itself redirects the filter's stdin from the first file and its stdout to the
    /// second (Barman's <c>&lt;filter&gt; &gt; "$2" &lt; "$1"</c>): no byte passes through this process.
    /// </param>
    private ShellFilterProcess(string command, string description, (string Source, string Destination)? redirectFiles)
    {
        Command = command;
        Description = description;
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = redirectFiles is null,
            RedirectStandardOutput = redirectFiles is null,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        if (redirectFiles is { } files)
        {
            start.ArgumentList.Add(command + " > \"$2\" < \"$1\"");
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add(files.Source);
            start.ArgumentList.Add(files.Destination);
        }
        else
        {
            start.ArgumentList.Add(command);
        }

        try
        {
            _process = Process.Start(start) ?? throw new CompressionException($"{description} command '{command}' could not be started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new CompressionException($"{description} command '{command}' could not be started: {e.Message}", e);
        }

        _stderr = ReadStderrAsync(_process.StandardError);
    }

    /// <summary>
    /// Runs <paramref name="command"/> from <paramref name="source"/> into <paramref name="destination"/>
    /// (created or truncated) and throws unless it exited with status 0 and, for a non-empty source,
    /// wrote something.
    /// </summary>
    internal static async Task RunFileToFileAsync(
        string command, string description, string source, string destination, CancellationToken cancellationToken)
    {
        using var process = new ShellFilterProcess(command, description, (source, destination));
        await process.EnsureSucceededAsync(cancellationToken).ConfigureAwait(false);
        if (new FileInfo(destination).Length == 0 && new FileInfo(source).Length > 0)
            throw process.Failure("it printed nothing for a non-empty input");
    }

    internal string Command { get; }

    internal string Description { get; }

    internal Stream Input => _process.StandardInput.BaseStream;

    internal Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Waits for the command and throws unless it exited with status 0 (disposing kills it).</summary>
    internal async Task EnsureSucceededAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var stderr = await _stderr.ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw Failure($"exit status {_process.ExitCode}", stderr);
        }
    }

    internal void EnsureSucceeded()
    {
        _process.WaitForExit();
        var stderr = _stderr.GetAwaiter().GetResult();
        if (_process.ExitCode != 0)
        {
            throw Failure($"exit status {_process.ExitCode}", stderr);
        }
    }

    internal CompressionException Failure(string cause, string? stderr = null)
    {
        var detail = string.IsNullOrWhiteSpace(stderr) ? string.Empty : ": " + CompressionException.OneLine(stderr);
        return new CompressionException($"{Description} command '{Command}' failed ({cause}){detail}");
    }

    /// <summary>After a pipe error: the command's own failure if it has one, else the pipe error.</summary>
    internal CompressionException PipeFailure(Exception e)
    {
        try
        {
            if (_process.WaitForExit(TimeSpan.FromSeconds(10)) && _process.ExitCode != 0)
            {
                return Failure($"exit status {_process.ExitCode}", _stderr.Wait(TimeSpan.FromSeconds(1)) ? _stderr.Result : null);
            }
        }
        catch (InvalidOperationException)
        {
        }

        return Failure(e.Message);
    }

    private static async Task<string> ReadStderrAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[1024];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < MaxStderr)
            {
                kept.Append(buffer, 0, Math.Min(n, MaxStderr - kept.Length));
            }
        }

        return kept.ToString().Trim();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
