using System.Globalization;
using Barman.Wal.Configuration;

namespace Barman.Wal.Checks;

/// <summary>
/// The rows of one server's check that look only at its configuration and directories, never at
/// PostgreSQL (spec: check §4.2, §4.9, §4.12–§4.14); <see cref="ServerCheckRun"/> calls them in Barman's order.
/// </summary>
internal sealed class LocalChecks(ServerOptions server, CheckStrategy strategy)
{
    // Rows 2–5 (spec: check §4.2).
    public void QueueChecks()
    {
        QueueCheck(server.Archiver, server.IncomingWalsDirectory, streaming: false, "empty incoming directory", "incoming WALs directory", "archiver");
        QueueCheck(server.StreamingArchiver, server.StreamingWalsDirectory, streaming: true, "empty streaming directory", "streaming WALs directory", "streaming_archiver");
    }

    private void QueueCheck(bool enabled, string directory, bool streaming, string emptyName, string queueName, string option)
    {
        var count = CheckDecisions.QueueLength(ListNames(directory), streaming);
        if (!enabled)
        {
            strategy.Begin(emptyName);
            if (count > 0)
                strategy.Result(emptyName, false, CheckDecisions.WithAdvice(
                    $"'{directory}' must be empty when {option}=off",
                    $"move those files away or set {option} = on"));
            return;
        }

        if (server.MaxIncomingWalsQueue is not { } max)
            return;
        strategy.Begin(queueName);
        if (count > max)
            strategy.Result(queueName, false, CheckDecisions.WithAdvice(
                $"there are too many WALs in queue: {count}, max {max}",
                $"run 'barman-wal archive-wal {server.Name}' (is cron running?) and look at the log for archiving errors"));
    }

    private static IEnumerable<string> ListNames(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>() : [];

    // Row 13 (spec: check §4.13).
    public void Directories()
    {
        if (server.Disabled)
            return;
        strategy.Begin("directories");
        string?[] paths =
        [
            server.BackupDirectory, server.BasebackupsDirectory, server.ErrorsDirectory, server.IncomingWalsDirectory,
            server.StreamingWalsDirectory, server.UsesCloudWalStorage ? null : server.WalsDirectory, server.XlogdbDirectory,
        ];
        foreach (var path in paths)
        {
            if (path is null || CloudUrl.Provider(path) is not null)
                continue;
            var error = CreateDirectory(path);
            if (error is not null)
            {
                strategy.Result("directories", false, CheckDecisions.WithAdvice($"{path}: {error}",
                    "create it, or make its parent writable for the barman user"));
                return;
            }
        }

        strategy.Result("directories", true);
    }

    private static string? CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "Permission denied";
        }
        catch (IOException e) when (File.Exists(path))
        {
            _ = e;
            return "File exists";
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    // Row 20 (spec: check §4.9).
    public void CompressionSettings()
    {
        strategy.Begin("compression settings");
        if (server.Compression == "custom" && (server.CustomCompressionFilter is null || server.CustomDecompressionFilter is null))
            strategy.Result("compression settings", false, "set custom_compression_filter and custom_decompression_filter, or change compression");
        else
            strategy.Result("compression settings", true);
    }

    // Row 24 (spec: check §4.14).
    public void Configuration()
    {
        if (server.Messages.Count == 0)
            return;
        strategy.Begin("configuration");
        strategy.Result("configuration", false);
        foreach (var message in server.Messages)
            strategy.Detail("\t\t" + message);
    }

    // Row 32 (spec: check §4.12).
    public void ArchiverErrors()
    {
        strategy.Begin("archiver errors");
        var directory = new DirectoryInfo(server.ErrorsDirectory);
        var entries = directory.Exists ? directory.GetFileSystemInfos() : [];
        if (entries.Length == 0)
        {
            strategy.Result("archiver errors", true);
            return;
        }

        var summary = CheckDecisions.SummariseErrorFiles(entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        var newest = entries.OrderByDescending(e => e.LastWriteTimeUtc).ThenByDescending(e => e.Name, StringComparer.Ordinal)
            .Take(3).Select(e => e.Name);
        strategy.Result("archiver errors", false, CheckDecisions.WithAdvice(summary,
            string.Create(CultureInfo.InvariantCulture, $"newest: {string.Join(", ", newest)}; inspect them in '{directory.FullName}' and remove them once handled")));
    }
}
