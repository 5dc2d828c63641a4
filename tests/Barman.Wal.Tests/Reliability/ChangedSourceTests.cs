using Barman.Wal.Archiving;
using Barman.Wal.Catalog;
using Barman.Wal.Compression;
using Barman.Wal.Hooks;
using Barman.Wal.Output;
using Barman.Wal.Storage;
using Barman.Wal.Tests.Archiving;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Reliability;

/// <summary>
/// The backstop of the pipelined archiver (several files staged at once, no hooks): a source written to
/// while its copy was made — after the listing judged it complete — is not committed, nor is anything
/// after it; the next run archives it. In process, over real WAL and the real local storage, plain
/// (hard link) and gzip.
/// </summary>
[Collection(RealWalCollection.Name)]
public sealed class ChangedSourceTests(RealWalFixture wal) : IDisposable
{
    private readonly BarmanHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipelined_run_does_not_commit_a_source_written_to_during_its_copy_nor_what_follows(bool gzip)
    {
        _home.CreateServerDirectories();
        var names = wal.Segments.Take(3).ToArray();
        wal.CopyTo(_home.IncomingDirectory(), names);
        var state = new ArchiveState(_home, names.ToDictionary(n => n, wal.Read, StringComparer.Ordinal));
        var stdout = new StringWriter();
        var output = new BarmanOutput(stdout, TextWriter.Null, OutputFormat.Console, quiet: false, debug: false);
        var touched = Path.Combine(_home.IncomingDirectory(), names[1]);

        var first = await Archiver(output, gzip, touchAfterStaging: touched).ArchiveAsync(verbose: true);

        first.Processed.Should().Be(1);
        first.StoppedAtChangedSource.Should().BeTrue();
        stdout.ToString().Should().StartWith($"Processing xlog segments from file archival for pg1\n\t{names[0]}\n\t{names[1]}\n")
            .And.Contain($"\tWaiting: {names[1]} is still being written (changed while it was being archived, modified ")
            .And.NotContain("\t" + names[2] + "\n");
        _home.ReadXlogDb().Select(l => l.Split('\t')[0]).Should().Equal(names[0]);
        _home.ListArchive().Should().ContainSingle("nothing staged after the changed source is left behind");
        BarmanHome.ListFiles(_home.IncomingDirectory()).Should().BeEquivalentTo(names[1], names[2]);
        state.CheckSafe().Should().BeEmpty();

        var second = await Archiver(output, gzip, touchAfterStaging: null).ArchiveAsync(verbose: true);

        second.Processed.Should().Be(2);
        state.CheckComplete().Should().BeEmpty();
    }

    private FileWalArchiver Archiver(BarmanOutput output, bool gzip, string? touchAfterStaging)
    {
        var reader = new RegistryContentReader(new WalCodecRegistry(), assumeCustomWhenUnrecognised: false);
        var walsDirectory = _home.WalsDirectory();
        var compressor = gzip ? new CodecTransform(new WalCodecRegistry().Get("gzip"), compress: true) : null;
        var local = new LocalWalStorageStrategy(walsDirectory, new WalPipeline(compressor, null, reader));
        var context = new WalArchiverContext(
            "pg1",
            new XlogDb("pg1", walsDirectory, null, _home.Home, new ContentReaderInspector(reader)),
            touchAfterStaging is null ? local : new TouchingStorage(local, touchAfterStaging),
            NoArchiveHooks.Instance,
            new ErrorsDirectory(_home.ErrorsDirectory(), TimeProvider.System),
            reader,
            output,
            Serilog.Core.Logger.None,
            Parallelism: 2);
        return new FileWalArchiver(context, _home.IncomingDirectory(), 0);
    }

    /// <summary>The local storage, with one source's mtime moved on right after its copy was staged.</summary>
    private sealed class TouchingStorage(LocalWalStorageStrategy inner, string touched) : WalStorageStrategy
    {
        public override string GetFullPath(string name) => inner.GetFullPath(name);

        public override Task<bool> ExistsAsync(string fullPath, CancellationToken cancellationToken = default) => inner.ExistsAsync(fullPath, cancellationToken);

        public override async Task<StagedWal> StageAsync(WalFileInfo wal, CancellationToken cancellationToken = default)
        {
            var staged = await inner.StageAsync(wal, cancellationToken);
            if (wal.OriginalPath == touched)
                File.SetLastWriteTimeUtc(touched, DateTime.UtcNow.AddSeconds(5)); // a cp writing into it meanwhile
            return staged;
        }

        public override Task CommitAsync(StagedWal staged, CancellationToken cancellationToken = default) => inner.CommitAsync(staged, cancellationToken);

        public override Task AbandonAsync(StagedWal staged, CancellationToken cancellationToken = default) => inner.AbandonAsync(staged, cancellationToken);

        public override Task<IReadOnlyList<string>> DeleteAsync(IReadOnlyList<WalFileInfo> wals, CancellationToken cancellationToken = default) => inner.DeleteAsync(wals, cancellationToken);

        public override Task<WalFileInfo?> DescribeStoredAsync(string name, CancellationToken cancellationToken = default) => inner.DescribeStoredAsync(name, cancellationToken);

        public override IAsyncEnumerable<StoredObject> ListStoredAsync(CancellationToken cancellationToken = default) => inner.ListStoredAsync(cancellationToken);

        public override Task<StoredObject?> FindStoredAsync(string name, CancellationToken cancellationToken = default) => inner.FindStoredAsync(name, cancellationToken);

        public override Task<Stream> OpenStoredAsync(StoredObject stored, CancellationToken cancellationToken = default) => inner.OpenStoredAsync(stored, cancellationToken);
    }
}
