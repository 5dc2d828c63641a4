using System.Reflection;

namespace Barman.Wal.Tests.Infrastructure;

public sealed class ToolPackageTests
{
    [Fact]
    public async Task Pack_then_tool_install_gives_runnable_barman_wal()
    {
        var work = Directory.CreateTempSubdirectory("barman-wal-pack-").FullName;
        try
        {
            var packages = Path.Combine(work, "packages");
            var tools = Path.Combine(work, "tools");
            var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var project = RepositoryPaths.Combine("src", "Barman.Wal.Cli", "Barman.Wal.Cli.csproj");
            // The tool is RID-specific (ReadyToRun code per Linux RID): pack builds each RID itself.
            var pack = await ProcessRunner.RunAsync(ToolRunner.DotnetHost,
                ["pack", project, "-c", configuration, "-o", packages, "-nologo", "-v", "q"],
                timeout: TimeSpan.FromMinutes(10));
            pack.ExitCode.Should().Be(0, pack.ToString());
            var names = Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var version = typeof(Barman.Wal.Cli.BarmanWalCli).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
            names.Should().Equal(
                $"barman-wal.{version}.nupkg", $"barman-wal.linux-arm64.{version}.nupkg", $"barman-wal.linux-x64.{version}.nupkg");

            // Only the local folder as a source: nothing is fetched.
            var nugetConfig = Path.Combine(work, "nuget.config");
            await File.WriteAllTextAsync(nugetConfig,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear />" +
                $"<add key=\"local\" value=\"{packages}\" /></packageSources></configuration>\n");
            var install = await ProcessRunner.RunAsync(ToolRunner.DotnetHost,
                ["tool", "install", "barman-wal", "--tool-path", tools, "--configfile", nugetConfig, "--add-source", packages, "--version", version],
                timeout: TimeSpan.FromMinutes(3));
            install.ExitCode.Should().Be(0, install.ToString());

            var run = await ProcessRunner.RunAsync(Path.Combine(tools, "barman-wal"), ["--version"], timeout: TimeSpan.FromSeconds(60));
            run.ExitCode.Should().Be(0, run.ToString());
            run.StdoutLines.Should().Equal(version, "barman-wal (compatible with Barman 3.18)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
