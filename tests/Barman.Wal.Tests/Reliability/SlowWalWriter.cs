namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// Writes a file in place in chunks, as a plain <c>cp</c> archive_command does into <c>incoming</c>: the
/// file exists, short and growing, until the last chunk. After <see cref="HoldAfterChunks"/> chunks it
/// waits for <see cref="Release"/>, so a test can make sure an archive-wal run saw it growing.
/// </summary>
internal sealed class SlowWalWriter(string path, byte[] content, int chunks, TimeSpan pause)
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Chunks written before the writer waits for <see cref="Release"/>.</summary>
    public int HoldAfterChunks { get; init; } = 2;

    /// <summary>Lets the writer go on after <see cref="HoldAfterChunks"/> chunks.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Runs the copy; completes once the last byte is written and the file closed.</summary>
    public async Task WriteAsync()
    {
        var chunk = (content.Length + chunks - 1) / chunks;
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
        for (var i = 0; i < chunks; i++)
        {
            var offset = i * chunk;
            await file.WriteAsync(content.AsMemory(offset, Math.Min(chunk, content.Length - offset)));
            await file.FlushAsync();
            if (i + 1 == HoldAfterChunks)
                await _release.Task.WaitAsync(TimeSpan.FromMinutes(2));
            if (i + 1 < chunks)
                await Task.Delay(pause);
        }
    }
}
