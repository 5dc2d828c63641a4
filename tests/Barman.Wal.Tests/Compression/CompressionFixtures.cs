using System.Diagnostics;
using System.Security.Cryptography;

namespace Barman.Wal.Tests.Compression;

/// <summary>Paths of the copied Barman fixtures and small helpers shared by the codec tests.</summary>
internal static class CompressionFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression");

    public const string Segment = "000000010000000000000004";

    public static string RawSegment => Path.Combine(Root, "raw", Segment);

    public static IReadOnlyDictionary<string, string> Sums { get; } = File.ReadAllLines(Path.Combine(Root, "SHA256SUMS"))
        .Where(l => l.Length > 66)
        .ToDictionary(l => l[66..], l => l[..64]);

    public static string[] TinyInputs { get; } =
        ["empty.bin", "1k.bin", "random70k.bin", "00000002.history", "000000010000000000000007.00000028.backup"];

    /// <summary>The raw file (relative to Root) a compressed fixture decodes to.</summary>
    public static string RawFor(string relative)
    {
        var dir = Path.GetDirectoryName(relative)!;
        var name = Path.GetFileName(relative);
        return dir == "segment"
            ? "raw/" + Segment
            : "tiny/raw/" + TinyInputs.Single(i => name.StartsWith(i + ".", StringComparison.Ordinal));
    }

    /// <summary>(fixture path relative to Root, codec name that reads it).</summary>
    public static IEnumerable<(string File, string Codec)> Compressed()
    {
        foreach (var relative in Sums.Keys.Where(k => !k.StartsWith("raw/", StringComparison.Ordinal) && !k.StartsWith("tiny/raw/", StringComparison.Ordinal)))
        {
            var codec = relative switch
            {
                _ when relative.EndsWith(".gz", StringComparison.Ordinal) => "gzip",
                _ when relative.EndsWith(".bz2", StringComparison.Ordinal) => "bzip2",
                _ when relative.EndsWith(".xz", StringComparison.Ordinal) => "xz",
                _ when relative.EndsWith(".zst", StringComparison.Ordinal) => "zstd",
                _ when relative.EndsWith(".lz4", StringComparison.Ordinal) => "lz4",
                _ when relative.EndsWith(".snappy", StringComparison.Ordinal) => "snappy",
                _ => throw new InvalidOperationException(relative),
            };
            yield return (relative, codec);
        }
    }

    public static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    public static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Sha256(stream);
    }

    /// <summary>Runs a shell command line; fails the test with one line naming the missing tool.</summary>
    public static (int ExitCode, string Stderr) Shell(string commandLine, string tool)
    {
        if (!Barman.Wal.Compression.ExecutableSearch.IsOnPath(tool))
        {
            throw new InvalidOperationException($"'{tool}' is not installed: apt-get install -y {DebianPackage(tool)}");
        }

        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr);
    }

    private static string DebianPackage(string tool) => tool == "xz" ? "xz-utils" : tool;
}
