using Barman.Wal.Catalog;
using Barman.Wal.Hooks;
using Barman.Wal.Platform;
using Barman.Wal.Xlog;

namespace Barman.Wal.Storage;

/// <summary>
/// Stores WAL in <c>wals_directory/&lt;hashdir&gt;/&lt;name&gt;</c> (spec: storage §3). Every new file is
/// written under a temporary, non-WAL name in the destination directory, fsynced, then moved into place
/// without ever replacing an existing file, and the directory fsynced.
/// </summary>
/// <param name="walsDirectory">The archive root.</param>
/// <param name="pipeline">Compression, encryption and recognition.</param>
/// <param name="deleteHooks">The wal-delete hook scripts run around each deletion; none when null.</param>
/// <param name="serverName">The server, named in deletion warnings.</param>
/// <param name="logger">Where deletion warnings go; none when null.</param>
public sealed partial class LocalWalStorageStrategy(
    string walsDirectory,
    WalPipeline pipeline,
    IWalDeleteHooks? deleteHooks = null,
    string? serverName = null,
    Serilog.ILogger? logger = null) : WalStorageStrategy
{
    private readonly IWalDeleteHooks _deleteHooks = deleteHooks ?? NoWalDeleteHooks.Instance;

    /// <summary>Hash directories known to exist durably in their parent (see <see cref="EnsureDirectory"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _readyDirectories = new(StringComparer.Ordinal);

    /// <summary>
    /// Files are opened unbuffered: the pipeline reads and writes 128 KiB pooled blocks or whole deflate
    /// members, so a FileStream buffer would only add a copy and a fresh large array per file.
    /// </summary>
    private const int Unbuffered = 0;

    /// <summary>The archive root.</summary>
    public string WalsDirectory { get; } = walsDirectory;

    /// <inheritdoc />
    public override string GetFullPath(string name) =>
        Path.Combine(WalsDirectory, WalName.Parse(name).RelativePath);

    /// <inheritdoc />
    public override Task<bool> ExistsAsync(string fullPath, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(fullPath) || Directory.Exists(fullPath));

    /// <inheritdoc />
    public override async Task<StagedWal> StageAsync(WalFileInfo wal, CancellationToken cancellationToken = default)
    {
        var source = wal.OriginalPath ?? throw new InvalidOperationException($"{wal.Name} has no source file");
        var destination = GetFullPath(wal.Name);
        var directory = Path.GetDirectoryName(destination)!;
        EnsureDirectory(directory);

        if (File.Exists(destination) || Directory.Exists(destination))
        {
            var outcome = await CompareWithStoredAsync(wal, source, destination, cancellationToken).ConfigureAwait(false);
            return new StagedWal(wal, outcome, destination, null);
        }

        var status = FileStatus.TryGet(source) ?? throw new WalSourceVanishedException(source);
        var stages = new List<IWalTransform>(2);
        if (pipeline.Compressor is not null && wal.Compression is null)
            stages.Add(pipeline.Compressor);
        if (pipeline.Encryptor is not null)
            stages.Add(pipeline.Encryptor);

        string staged;
        if (stages.Count > 0)
        {
            staged = destination + (stages.Contains(pipeline.Compressor!) ? ".compressed" : string.Empty)
                + (pipeline.Encryptor is not null ? ".gpg" : string.Empty);
            await WriteTransformedAsync(source, staged, stages, status, cancellationToken).ConfigureAwait(false);
            wal.Size = new FileInfo(staged).Length;
            if (stages.Contains(pipeline.Compressor!))
                wal.Compression = pipeline.Compressor!.Name;
            if (pipeline.Encryptor is not null)
                wal.Encryption = pipeline.Encryptor.Name;
        }
        else
        {
            staged = destination + ".tmp";
            await StagePlainAsync(source, staged, status, cancellationToken).ConfigureAwait(false);
            wal.Size = status.Size;
        }

        FaultInjection.At("after-stage");
        return new StagedWal(wal, StoreOutcome.Stored, destination, staged);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A matching duplicate is made durable here too: it may be what an earlier run renamed into place
    /// just before a crash, with neither the file nor the directory entry on disk yet.
    /// </remarks>
    public override Task CommitAsync(StagedWal staged, CancellationToken cancellationToken = default)
    {
        if (staged.Outcome == StoreOutcome.MatchingDuplicate)
        {
            Durability.SyncFile(staged.Destination);
            Durability.SyncDirectory(Path.GetDirectoryName(staged.Destination)!);
            return Task.CompletedTask;
        }

        if (staged.Outcome != StoreOutcome.Stored || staged.StagedPath is null)
            return Task.CompletedTask;
        PosixFile.MoveNoReplace(staged.StagedPath, staged.Destination);
        FaultInjection.At("after-rename");
        Durability.SyncDirectory(Path.GetDirectoryName(staged.Destination)!);
        FaultInjection.At("after-commit");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task AbandonAsync(StagedWal staged, CancellationToken cancellationToken = default)
    {
        if (staged.StagedPath is not null && File.Exists(staged.StagedPath))
            File.Delete(staged.StagedPath);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Around each file: the pre wal-delete hooks (a 63 from the retry one aborts the whole call with
    /// <see cref="RetryHookAbortedException"/>), the removal, the post hooks with the deletion error if any
    /// (spec: storage §5.1). A failed removal is only a warning; the name is still returned.
    /// </remarks>
    public override async Task<IReadOnlyList<string>> DeleteAsync(
        IReadOnlyList<WalFileInfo> wals, CancellationToken cancellationToken = default)
    {
        var deleted = new List<string>(wals.Count);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var wal in wals)
            {
                var path = GetFullPath(wal.Name);
                var exists = File.Exists(path);
                if (!exists && !_deleteHooks.AnyConfigured)
                    continue;
                await _deleteHooks.RunPreAsync(wal, path, cancellationToken).ConfigureAwait(false);
                string? error = null;
                try
                {
                    if (exists)
                        File.Delete(path);
                    deleted.Add(wal.Name);
                    FaultInjection.At("wal-delete");
                    directories.Add(Path.GetDirectoryName(path)!);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error = $"Ignoring deletion of WAL file {wal.Name} for server {serverName}: {e.Message}";
                    logger?.Warning("{Error}", error);
                    deleted.Add(wal.Name);
                }

                await _deleteHooks.RunPostAsync(wal, path, error, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var directory in directories)
                Durability.SyncDirectory(directory);
            RemoveEmptyHashDirectories(directories);
        }

        return deleted;
    }

    /// <summary>
    /// Removes the hash directories that the deletions left empty (one at a time, never a non-empty one: no
    /// file is removed because its neighbours were), then fsyncs the archive root.
    /// </summary>
    private void RemoveEmptyHashDirectories(IEnumerable<string> directories)
    {
        var removed = false;
        foreach (var directory in directories)
        {
            if (Path.GetFullPath(directory) == Path.GetFullPath(WalsDirectory))
                continue;
            try
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory, recursive: false);
                    removed = true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger?.Debug("Keeping directory {Directory}: {Reason}", directory, e.Message);
            }
        }

        if (removed)
            Durability.SyncDirectory(WalsDirectory);
    }

    /// <inheritdoc />
    public override Task<WalFileInfo?> DescribeStoredAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = GetFullPath(name);
        if (FileStatus.TryGet(path) is not { IsRegularFile: true } status)
            return Task.FromResult<WalFileInfo?>(null);
        var header = ReadHeader(path, pipeline.Reader.HeaderLength);
        var encrypted = pipeline.Reader.IsEncrypted(header);
        return Task.FromResult<WalFileInfo?>(new WalFileInfo
        {
            Name = name,
            Size = status.Size,
            Time = status.PythonModifyTime,
            Compression = encrypted ? null : pipeline.Reader.DetectCompression(header),
            Encryption = encrypted ? "gpg" : null,
        });
    }

    /// <summary>
    /// Creates a hash directory and fsyncs its parents. One found already there is fsynced into its parent
    /// once per strategy too: an earlier run may have crashed between the mkdir and that fsync.
    /// </summary>
    private void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            if (!_readyDirectories.ContainsKey(directory))
            {
                Durability.SyncDirectory(Path.GetDirectoryName(directory)!);
                _readyDirectories.TryAdd(directory, 0);
            }

            return;
        }

        var walsCreated = !Directory.Exists(WalsDirectory);
        Directory.CreateDirectory(directory);
        Durability.SyncDirectory(Path.GetDirectoryName(directory)!);
        if (walsCreated && !string.Equals(directory, WalsDirectory, StringComparison.Ordinal))
            Durability.SyncDirectory(Path.GetDirectoryName(WalsDirectory)!);
        _readyDirectories.TryAdd(directory, 0);
    }

    private async Task<StoreOutcome> CompareWithStoredAsync(
        WalFileInfo wal, string source, string destination, CancellationToken cancellationToken)
    {
        if (Directory.Exists(destination))
            return StoreOutcome.Duplicate;
        var reader = pipeline.Reader;
        var header = ReadHeader(destination, reader.HeaderLength);
        if (reader.IsEncrypted(header))
            return StoreOutcome.Duplicate;

        var storedCompression = reader.DetectCompression(header);
        await using var stored = OpenSequential(destination);
        Stream incoming;
        try
        {
            incoming = OpenSequential(source);
        }
        catch (FileNotFoundException)
        {
            throw new WalSourceVanishedException(source);
        }

        await using (incoming.ConfigureAwait(false))
        {
            var left = DecodedStream.Open(stored, storedCompression is null ? null : reader.Decompressor(storedCompression), cancellationToken);
            var right = DecodedStream.Open(incoming, wal.Compression is null ? null : reader.Decompressor(wal.Compression), cancellationToken);
            var equal = await StreamComparer.EqualAsync(left, right, cancellationToken).ConfigureAwait(false);
            return equal ? StoreOutcome.MatchingDuplicate : StoreOutcome.Duplicate;
        }
    }

    private static async Task WriteTransformedAsync(
        string source, string staged, IReadOnlyList<IWalTransform> stages, FileStatus status, CancellationToken cancellationToken)
    {
        try
        {
            if (stages is [CodecTransform { RunsFileToFile: true } filter])
            {
                await RunFilterAsync(filter, source, staged, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var input = OpenSequential(source);
                await using var output = new FileStream(staged, FileMode.Create, FileAccess.Write, FileShare.None, Unbuffered, FileOptions.Asynchronous);
                await WalPipeline.RunAsync(input, stages, output, cancellationToken).ConfigureAwait(false);
                FaultInjection.At("after-compress");
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                FaultInjection.At("before-fsync");
                output.Flush(flushToDisk: true);
            }
        }
        catch (FileNotFoundException)
        {
            DeleteQuietly(staged);
            throw new WalSourceVanishedException(source);
        }
        catch
        {
            DeleteQuietly(staged);
            throw;
        }

        CopyMetadata(status, staged);
        FaultInjection.At("after-write");
    }

    /// <summary>A lone shell filter (pigz, custom) reads the source and writes the staged file itself; then fsync.</summary>
    private static async Task RunFilterAsync(CodecTransform filter, string source, string staged, CancellationToken cancellationToken)
    {
        if (!File.Exists(source))
            throw new WalSourceVanishedException(source);
        try
        {
            await filter.TransformFileAsync(source, staged, cancellationToken).ConfigureAwait(false);
        }
        catch (Compression.CompressionException) when (!File.Exists(source))
        {
            throw new WalSourceVanishedException(source);
        }

        FaultInjection.At("after-compress");
        FaultInjection.At("before-fsync");
        Durability.SyncFile(staged);
    }

    private static async Task StagePlainAsync(string source, string staged, FileStatus status, CancellationToken cancellationToken)
    {
        DeleteQuietly(staged);
        var isLink = FileStatus.TryGet(source, followLinks: false) is { IsSymbolicLink: true };
        if (!isLink)
        {
            var errno = PosixFile.TryLink(source, staged);
            if (errno == 0)
            {
                FaultInjection.At("after-link");
                Durability.SyncFile(staged);
                return;
            }

            if (PosixFile.IsNotFound(errno))
                throw new WalSourceVanishedException(source);
            if (!PosixFile.IsCrossDeviceOrUnsupported(errno))
                throw new IOException($"link {source} -> {staged}: {PosixFile.Describe(errno)}");
        }

        await WriteTransformedAsync(source, staged, [], status, cancellationToken).ConfigureAwait(false);
    }

    private static void CopyMetadata(FileStatus status, string path)
    {
        PosixFile.SetMode(path, status.Mode);
        status.ApplyTimesTo(path);
    }

    private static byte[] ReadHeader(string path, int length)
    {
        using var stream = OpenSequential(path);
        var buffer = new byte[length];
        var read = stream.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
        return buffer[..read];
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, Unbuffered, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
