using System.Runtime.CompilerServices;
using Barman.Wal.Xlog;

namespace Barman.Wal.Restore;

/// <summary>
/// Barman's lookup order for get-wal (spec: get-wal §3): the archive (through the storage strategy), then
/// <c>incoming/</c>, <c>streaming/</c>, with <c>-P</c> the <c>.partial</c> places, then the archive again.
/// Each place is tested when reached, so a file moved by archive-wal meanwhile is still found.
/// </summary>
public sealed class WalLocator(RestoreArchive archive)
{
    /// <summary>The existing candidates for <paramref name="name"/>, in Barman's order (repeats included).</summary>
    public async IAsyncEnumerable<WalCandidate> CandidatesAsync(
        string name, bool partial, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var partialName = name + ".partial";
        var steps = new List<Func<Task<WalCandidate?>>>
        {
            () => FromArchiveAsync(name, cancellationToken),
            () => Task.FromResult(FromDirectory(archive.Server.IncomingWalsDirectory, name)),
            () => Task.FromResult(FromDirectory(archive.Server.StreamingWalsDirectory, name)),
        };
        if (partial)
        {
            steps.Add(() => Task.FromResult(FromDirectory(archive.Server.StreamingWalsDirectory, partialName)));
            steps.Add(() => Task.FromResult(FromDirectory(archive.Server.StreamingWalsDirectory, name)));
            steps.Add(() => FromArchiveAsync(partialName, cancellationToken));
            steps.Add(() => Task.FromResult(FromDirectory(archive.Server.IncomingWalsDirectory, partialName)));
        }

        steps.Add(() => FromArchiveAsync(name, cancellationToken));
        foreach (var step in steps)
        {
            if (await step().ConfigureAwait(false) is { } candidate)
                yield return candidate;
        }
    }

    /// <summary>The archived copy of <paramref name="name"/>, or null.</summary>
    public async Task<WalCandidate?> FromArchiveAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!WalName.IsAnyXlogFile(name))
            return null;
        var stored = await archive.Storage.FindStoredAsync(name, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? null
            : new WalCandidate(name, stored.Location, stored.Modified, ct => archive.Storage.OpenStoredAsync(stored, ct));
    }

    /// <summary>True when <paramref name="name"/> is in the archive, incoming or streaming (peek: never a <c>.partial</c>).</summary>
    public async Task<bool> ExistsAnywhereAsync(string name, CancellationToken cancellationToken = default) =>
        await FromArchiveAsync(name, cancellationToken).ConfigureAwait(false) is not null
        || FromDirectory(archive.Server.IncomingWalsDirectory, name) is not null
        || FromDirectory(archive.Server.StreamingWalsDirectory, name) is not null;

    private static WalCandidate? FromDirectory(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        var info = new FileInfo(path);
        if (!info.Exists)
            return null;
        return new WalCandidate(name, path, info.LastWriteTimeUtc, _ => Task.FromResult<Stream>(OpenRead(path)));
    }

    private static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0, Options = FileOptions.SequentialScan });
}
