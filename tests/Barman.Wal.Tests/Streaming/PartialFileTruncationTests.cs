using Barman.Wal.Streaming;

namespace Barman.Wal.Tests.Streaming;

public sealed class PartialFileTruncationTests : IDisposable
{
    private const long Segment = 16L * 1024 * 1024;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("partial-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Run_newest_partial_of_wrong_size_is_truncated_and_reported()
    {
        var older = Write("000000010000000000000003.partial", 100);
        var newest = Write("000000010000000000000004.partial", 8192);
        Write("000000010000000000000005.partial.tmp", 10);

        var line = PartialFileTruncation.Run(_dir.FullName, Segment);

        line.Should().Be($"Truncating partial file {newest} that has wrong size 8192 while 16777216 was expected.");
        new FileInfo(newest).Length.Should().Be(0);
        new FileInfo(older).Length.Should().Be(100, "only the newest partial is touched");
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(Segment)]
    public void Run_empty_or_full_size_partial_is_left_alone(long size)
    {
        var partial = Write("000000010000000000000004.partial", size);

        PartialFileTruncation.Run(_dir.FullName, Segment).Should().BeNull();
        new FileInfo(partial).Length.Should().Be(size);
    }

    [Fact]
    public void Run_unknown_segment_size_truncates_any_non_empty_partial()
    {
        var partial = Write("000000010000000000000004.partial", Segment);

        PartialFileTruncation.Run(_dir.FullName, segmentSize: null).Should().EndWith("while None was expected.");
        new FileInfo(partial).Length.Should().Be(0);
    }

    [Fact]
    public void Run_no_partial_or_missing_directory_does_nothing()
    {
        Write("000000010000000000000004", 10);

        PartialFileTruncation.Run(_dir.FullName, Segment).Should().BeNull();
        PartialFileTruncation.Run(Path.Combine(_dir.FullName, "missing"), Segment).Should().BeNull();
    }

    private string Write(string name, long size)
    {
        var path = Path.Combine(_dir.FullName, name);
        using var stream = File.Create(path);
        stream.SetLength(size);
        return path;
    }
}
