using System.Collections;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// The README's Install section run as written, the way a new user runs it: in a fresh clone of the
/// repository, with an empty NuGet package cache of its own (so a pack the build needs but restore does
/// not fetch cannot hide behind a warm cache) and its own .NET CLI home for the global tool.
/// </summary>
/// <remarks>
/// Slow by nature (it restores every package and pack, and packs twice); one clone, two packs. It tests
/// the committed HEAD of the repository: uncommitted changes are not in the clone.
/// </remarks>
public sealed partial class ToolPackageTests(ITestOutputHelper log)
{
    private const string ProjectUrl = "https://github.com/barman-wal/barman-wal";

    [Fact]
    public async Task Readme_install_update_and_uninstall_work_in_a_fresh_clone_with_an_empty_nuget_cache()
    {
        var work = Directory.CreateTempSubdirectory("barman-wal-pack-").FullName;
        try
        {
            var clone = Path.Combine(work, "repo");
            var cache = Directory.CreateDirectory(Path.Combine(work, "nuget-packages")).FullName;
            var cliHome = Directory.CreateDirectory(Path.Combine(work, "cli-home")).FullName;
            var git = await ProcessRunner.RunAsync(Prerequisites.Program("git", "git"),
                ["clone", "--quiet", "--no-hardlinks", RepositoryPaths.Root, clone], timeout: TimeSpan.FromMinutes(2));
            git.ExitCode.Should().Be(0, $"the tests clone the repository they were built from ({RepositoryPaths.Root}): {git}");

            var environment = UserEnvironment(cache, cliHome);
            var blocks = ReadmeInstallBlocks(await File.ReadAllTextAsync(Path.Combine(clone, "README.md")));
            blocks.Should().HaveCount(3, "the Install section has the install, update and uninstall blocks");
            var version = DefinedVersion(clone);

            // Install, as written.
            var installed = await RunBlockAsync(blocks[0], clone, environment);
            installed.StdoutLines.Should().Equal(version, "barman-wal (compatible with Barman 3.18)");
            var packages = Path.Combine(clone, "artifacts", "packages");
            Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal(
                $"barman-wal.{version}.nupkg", $"barman-wal.linux-arm64.{version}.nupkg", $"barman-wal.linux-x64.{version}.nupkg");
            Directory.GetDirectories(cache).Select(Path.GetFileName).Should().Contain(
                ["microsoft.netcore.app.crossgen2.linux-x64", "microsoft.netcore.app.runtime.linux-x64", "microsoft.netcore.app.runtime.linux-arm64"],
                "restore fetched what the ReadyToRun build of each RID needs into the empty cache");
            AssertNuspec(Path.Combine(packages, $"barman-wal.{version}.nupkg"), version);

            // A newer version, set where the one version is defined (as a pull of a later release would),
            // then the README's update block, as written.
            var newer = NextPatch(version);
            SetDefinedVersion(clone, newer);
            var updated = await RunBlockAsync(blocks[1], clone, environment);
            updated.StdoutLines.Should().Equal(newer, "barman-wal (compatible with Barman 3.18)");
            AssertNuspec(Path.Combine(packages, $"barman-wal.{newer}.nupkg"), newer);

            var shim = Path.Combine(cliHome, ".dotnet", "tools", "barman-wal");
            File.Exists(shim).Should().BeTrue("the global tool lives in the CLI home's tools directory");
            await RunBlockAsync(blocks[2], clone, environment);
            File.Exists(shim).Should().BeFalse("uninstall removes the command");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The fenced sh blocks of the README's Install section, without comment lines.</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> ReadmeInstallBlocks(string readme)
    {
        var start = readme.IndexOf("\n## Install\n", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README has an Install section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return [.. FencedBlock().Matches(section).Select(m => (IReadOnlyList<string>)
            [.. m.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))])];
    }

    /// <summary>Runs each line with sh in <paramref name="clone"/>; every one must succeed. Returns the last.</summary>
    private async Task<ProcessResult> RunBlockAsync(IReadOnlyList<string> lines, string clone, IReadOnlyDictionary<string, string?> environment)
    {
        ProcessResult? last = null;
        foreach (var line in lines)
        {
            var clock = Stopwatch.StartNew();
            last = await ProcessRunner.RunAsync("/bin/sh", ["-c", line], environment, clone, TimeSpan.FromMinutes(30));
            log.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {line}");
            last.ExitCode.Should().Be(0, $"`{line}` must succeed: {last}");
        }

        return last!;
    }

    /// <summary>
    /// This process's environment with a new user's NuGet package cache and .NET CLI home (global tools
    /// go to its .dotnet/tools, put first on PATH as the SDK's first run tells a user to), and without
    /// the variables <c>dotnet test</c> sets for its own MSBuild.
    /// </summary>
    private static Dictionary<string, string?> UserEnvironment(string cache, string cliHome)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name == "DOTNET_HOST_PATH")
                environment[name] = null;
        }

        environment["NUGET_PACKAGES"] = cache;
        environment["DOTNET_CLI_HOME"] = cliHome;
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["PATH"] = string.Join(':',
            Path.Combine(cliHome, ".dotnet", "tools"), Path.GetDirectoryName(ToolRunner.DotnetHost), Environment.GetEnvironmentVariable("PATH"));
        return environment;
    }

    private static void AssertNuspec(string package, string version)
    {
        using var zip = ZipFile.OpenRead(package);
        zip.GetEntry("README.md").Should().NotBeNull("the package carries its README");
        var entry = zip.Entries.Should().ContainSingle(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Subject;
        using var stream = entry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Value("id").Should().Be("barman-wal");
        Value("version").Should().Be(version);
        Value("description").Should().Contain("PostgreSQL WAL");
        Value("readme").Should().Be("README.md");
        Element("license").Attribute("type")!.Value.Should().Be("expression");
        Value("license").Should().Be("MIT");
        Value("projectUrl").Should().Be(ProjectUrl);
        Element("repository").Attribute("url")!.Value.Should().Be(ProjectUrl);
        Value("tags").Split(' ').Should().Contain(["postgresql", "barman", "wal"]);
        Value("authors").Should().Be("barman-wal developers");
    }

    /// <summary>The one Version property, in Directory.Build.props.</summary>
    private static string DefinedVersion(string clone) =>
        VersionProperty().Match(File.ReadAllText(Path.Combine(clone, "Directory.Build.props"))).Groups[1].Value;

    private static void SetDefinedVersion(string clone, string version)
    {
        var props = Path.Combine(clone, "Directory.Build.props");
        File.WriteAllText(props, VersionProperty().Replace(File.ReadAllText(props), $"<Version>{version}</Version>"));
    }

    private static string NextPatch(string version)
    {
        var parts = version.Split('.');
        parts[^1] = (int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('.', parts);
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"<Version>([0-9]+\.[0-9]+\.[0-9]+)</Version>")]
    private static partial Regex VersionProperty();
}
