using Barman.Wal.Restore;
using Barman.Wal.Xlog;

namespace Barman.Wal.Tests.Restore;

/// <summary>barman-wal's prefetch through the built tool: the detached worker, the spool, and what the spool refuses.</summary>
public sealed class GetWalPrefetchTests : IDisposable
{
    private readonly GetWalSandbox _box = new(new() { ["compression"] = "zstd" });
    private readonly string _spool;

    public GetWalPrefetchTests() => _spool = Path.Combine(_box.Home.Root, "spool");

    public void Dispose() => _box.Dispose();

    private static string Name(int segment) => WalName.Encode(1, 0, (uint)segment);

    private string[] SpoolNames() =>
        Directory.Exists(_spool) ? Directory.GetFiles(_spool).Select(f => Path.GetFileName(f)).Where(WalName.IsAnyXlogFile).Order(StringComparer.Ordinal).ToArray() : [];

    private async Task WaitForSpoolAsync(params string[] names)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!names.All(n => SpoolNames().Contains(n)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
    }

    [Fact]
    public async Task Prefetch_spools_the_next_segments_and_the_next_call_takes_them_from_the_spool()
    {
        var plain = Enumerable.Range(1, 4).ToDictionary(i => i, i => GetWalSandbox.Segment(30 + i));
        foreach (var (i, bytes) in plain)
            _box.Store(Name(i), bytes, "zstd");

        var (first, firstBytes) = await _box.GetWalToFileAsync(["--prefetch", "2", "--spool-dir", _spool, "pg1", Name(1)]);
        first.ExitCode.Should().Be(0, first.ToString());
        firstBytes.Should().Equal(plain[1]);
        await WaitForSpoolAsync(Name(2), Name(3));
        SpoolNames().Should().Equal(Name(2), Name(3));
        (await File.ReadAllBytesAsync(Path.Combine(_spool, Name(2)))).Should().Equal(plain[2]);

        var (second, secondBytes) = await _box.GetWalToFileAsync(["--prefetch", "2", "--spool-dir", _spool, "pg1", Name(2)]);

        second.ExitCode.Should().Be(0, second.ToString());
        secondBytes.Should().Equal(plain[2]);
        SpoolNames().Should().NotContain(Name(2), "a delivered spool file is removed");
        (await File.ReadAllTextAsync(_box.Home.LogFile)).Should().Contain($"WAL {Name(2)} delivered from the prefetch spool");
    }

    [Fact]
    public async Task Prefetch_spool_file_older_than_the_archive_or_invalid_is_ignored_and_removed()
    {
        var plain = GetWalSandbox.Segment(40);
        var stored = _box.Store(Name(5), plain, "zstd");
        Directory.CreateDirectory(_spool);
        File.SetUnixFileMode(_spool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stale = Path.Combine(_spool, Name(5));
        File.WriteAllBytes(stale, GetWalSandbox.Segment(41));
        File.SetLastWriteTimeUtc(stale, File.GetLastWriteTimeUtc(stored).AddMinutes(-5));
        File.WriteAllBytes(Path.Combine(_spool, $".{Name(6)}.0123456789ab.barman-wal-tmp"), GetWalSandbox.Segment(42));

        var (result, bytes) = await _box.GetWalToFileAsync(["--prefetch", "1", "--spool-dir", _spool, "pg1", Name(5)]);

        result.ExitCode.Should().Be(0, result.ToString());
        bytes.Should().Equal(plain, "the archive's copy is newer than the spool's");
        File.Exists(stale).Should().BeFalse();

        _box.Store(Name(7), plain, "zstd");
        File.WriteAllBytes(Path.Combine(_spool, Name(7)), new byte[1000]);
        var (truncated, truncatedBytes) = await _box.GetWalToFileAsync(["--prefetch", "1", "--spool-dir", _spool, "pg1", Name(7)]);
        truncated.ExitCode.Should().Be(0, truncated.ToString());
        truncatedBytes.Should().Equal(plain, "a spool file of the wrong size is never delivered");

        var (temporary, _) = await _box.GetWalToFileAsync(["--spool-dir", _spool, "--prefetch", "1", "pg1", Name(6)]);
        temporary.ExitCode.Should().Be(1, "a worker's temporary file is never taken for a WAL");
    }

    [Fact]
    public async Task Prefetch_refuses_a_spool_directory_others_can_write()
    {
        _box.Store(Name(1), GetWalSandbox.Segment(50), "zstd");
        Directory.CreateDirectory(_spool);
        File.SetUnixFileMode(_spool, (UnixFileMode)0b111_111_111);

        var (result, bytes) = await _box.GetWalToFileAsync(["--prefetch", "2", "--spool-dir", _spool, "pg1", Name(1)]);

        result.ExitCode.Should().Be(0, result.ToString());
        bytes.Should().Equal(GetWalSandbox.Segment(50));
        result.Stderr.Should().Contain("is writable by group or others: not used");
    }

    [Fact]
    public void NamesAfter_stays_on_the_timeline_and_wraps_at_the_end_of_a_log()
    {
        WalPrefetcher.NamesAfter(WalName.Parse("0000000200000003000000FE"), 3, 16 << 20)
            .Should().Equal("0000000200000003000000FF", "000000020000000400000000", "000000020000000400000001");
        WalPrefetcher.NamesAfter(WalName.Parse("000000010000000000000002"), 2, 1 << 30)
            .Should().Equal("000000010000000000000003", "000000010000000100000000");
    }
}
