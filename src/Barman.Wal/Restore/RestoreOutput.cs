using System.Security.Cryptography;

namespace Barman.Wal.Restore;

/// <summary>
/// Where get-wal's bytes go, written in full before anything is visible: stdout is fed from a memory
/// buffer only once the file decoded and verified (a 16 MiB segment costs 16 MiB of memory; PostgreSQL's
/// <c>&gt; %p</c> file thus never holds a truncated segment), and <c>-o DIR</c> writes
/// <c>DIR/.&lt;name&gt;.&lt;random&gt;.barman-wal-tmp</c> then renames it onto <c>DIR/&lt;name&gt;</c>.
/// Disposing without <see cref="CommitAsync"/> leaves nothing behind.
/// </summary>
public abstract class RestoreOutput : IAsyncDisposable
{
    /// <summary>The stream to write the bytes to.</summary>
    public abstract Stream Stream { get; }

    /// <summary>Makes the bytes visible: flushes the buffer to stdout, or renames the temporary file into place.</summary>
    public abstract Task CommitAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>A buffered output to the process's stdout.</summary>
    public static RestoreOutput ToStandardOutput(Func<Stream> openStandardOutput) => new StandardOutput(openStandardOutput);

    /// <summary>
    /// A temporary file next to <paramref name="path"/> (created now: Barman's step 6 error when the
    /// directory cannot be written), renamed onto it by <see cref="CommitAsync"/>.
    /// </summary>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static RestoreOutput ToFile(string path) => new FileOutput(path);

    /// <summary>A temporary name in the directory of <paramref name="path"/>: hidden and never a WAL name.</summary>
    public static string TemporaryName(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".",
            $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.barman-wal-tmp");

    private sealed class StandardOutput(Func<Stream> open) : RestoreOutput
    {
        private readonly MemoryStream _buffer = new(16 * 1024 * 1024 + 65536);

        public override Stream Stream => _buffer;

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            var stdout = open();
            await stdout.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override ValueTask DisposeAsync() => _buffer.DisposeAsync();
    }

    private sealed class FileOutput : RestoreOutput
    {
        private readonly string _path;
        private readonly string _temporary;
        private readonly FileStream _stream;
        private bool _committed;

        public FileOutput(string path)
        {
            _path = path;
            _temporary = TemporaryName(path);
            _stream = new FileStream(_temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = 0,
            });
        }

        public override Stream Stream => _stream;

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            File.Move(_temporary, _path, overwrite: true);
            _committed = true;
        }

        public override async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
                File.Delete(_temporary);
        }
    }
}
