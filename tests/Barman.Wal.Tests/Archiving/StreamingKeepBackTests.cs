using Barman.Wal.Archiving;

namespace Barman.Wal.Tests.Archiving;

public sealed class StreamingKeepBackTests
{
    public static TheoryData<string[], string[], string[]> Cases => new()
    {
        { ["01", "02"], ["03.partial"], ["01", "02"] },
        { ["01", "02"], ["03.partial", "04.partial"], ["01", "02", "03.partial"] },
        { ["01", "02", "03"], [], ["01", "02"] },
        { ["05"], [], [] },
        { [], [], [] },
        { [], ["07.partial"], [] },
        { ["01", "00000002.history"], [], ["01"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SelectForArchiving_keeps_newest_partial_or_last_file(string[] complete, string[] partials, string[] archived)
    {
        StreamingWalArchiver.SelectForArchiving(complete, partials).Should().Equal(archived);
    }

    [Theory]
    [InlineData(3, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(2, 0, false)]
    [InlineData(0, 0, false)]
    public void Batch_mode_when_more_listed_than_archived(int total, int run, bool batchMode)
    {
        var files = Enumerable.Range(0, run).Select(i => new Barman.Wal.Catalog.WalFileInfo { Name = $"{i}" }).ToList();
        new WalArchiverQueue(files, [], total, 0).IsBatchMode.Should().Be(batchMode);
    }
}
