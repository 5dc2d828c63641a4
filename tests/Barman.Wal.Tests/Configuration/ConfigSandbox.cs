using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

/// <summary>A temporary directory holding barman.conf files; deleted on dispose.</summary>
internal sealed class ConfigSandbox : IDisposable
{
    public ConfigSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "bwcfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Home);
        BarmanHome = Path.Combine(Root, "bh");
    }

    public string Root { get; }

    public string Home { get; }

    public string BarmanHome { get; }

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["HOME"] = Home };

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("@BH@", BarmanHome, StringComparison.Ordinal)
            .Replace("@ROOT@", Root, StringComparison.Ordinal));
        return path;
    }

    /// <summary>Writes barman.conf with a [barman] section (barman_home set) followed by <paramref name="rest"/>.</summary>
    public string WriteMain(string rest = "", string global = "") =>
        Write("barman.conf", $"[barman]\nbarman_home = @BH@\n{global}\n{rest}");

    public BarmanConfiguration Load(string path) => BarmanConfiguration.Load(path, Environment);

    /// <summary>Loads a config with one server section <c>[pg]</c> holding <paramref name="serverBody"/>.</summary>
    public ServerOptions LoadServer(string serverBody, string global = "")
    {
        var config = Load(WriteMain("[pg]\nconninfo = host=pg user=barman\n" + serverBody, global));
        return config.FindServer("pg")!;
    }

    public ConfigurationException LoadFails(string path)
    {
        var act = () => Load(path);
        return act.Should().Throw<ConfigurationException>().Which;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
