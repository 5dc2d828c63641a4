namespace Barman.Wal.Tests.Infrastructure;

public sealed class BarmanHomeTests
{
    [Fact]
    public void WriteConfig_writes_barman_and_server_sections()
    {
        using var home = new BarmanHome();

        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=127.0.0.1 port=5", ["archiver"] = "on" }, globalOptions: new Dictionary<string, string> { ["compression"] = "gzip" });
        home.WriteConfig(new Dictionary<string, string> { ["conninfo"] = "host=x" }, server: "pg2");

        File.ReadAllText(home.ConfigPath).Should().Be(
            "[barman]\n" +
            $"barman_home = {home.Home}\n" +
            $"barman_user = {home.UserName}\n" +
            $"log_file = {home.LogFile}\n" +
            "log_level = DEBUG\n" +
            "wal_header_validation = off\n" +
            "compression = gzip\n" +
            "\n[pg1]\nconninfo = host=127.0.0.1 port=5\narchiver = on\n" +
            "\n[pg2]\nconninfo = host=x\n");
    }

    [Fact]
    public void ListArchive_lists_wal_files_sorted_without_xlogdb()
    {
        using var home = new BarmanHome();
        home.CreateServerDirectories();
        var hashDir = Path.Combine(home.WalsDirectory(), "0000000100000000");
        Directory.CreateDirectory(hashDir);
        File.WriteAllText(Path.Combine(hashDir, "000000010000000000000002"), "");
        File.WriteAllText(Path.Combine(hashDir, "000000010000000000000001.gz"), "");
        File.WriteAllText(home.XlogDbPath(), "line\n");

        home.ListArchive().Should().Equal("0000000100000000/000000010000000000000001.gz", "0000000100000000/000000010000000000000002");
        home.ReadXlogDb().Should().Equal("line");
    }

    [Fact]
    public void Dispose_deletes_the_temp_tree()
    {
        var home = new BarmanHome();
        home.CreateServerDirectories();

        home.Dispose();

        Directory.Exists(home.Root).Should().BeFalse();
    }
}
