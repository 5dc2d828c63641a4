using Barman.Wal.Compression;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Restore;

/// <summary>
/// A barman_home for get-wal runs without PostgreSQL: 1 MiB synthetic segments (header validation off, as
/// <see cref="BarmanHome"/> sets it) stored the way Barman stores them, and runs of the built tool with stdout
/// captured as bytes (through a shell redirect, as restore_command does).
/// </summary>
public sealed class GetWalSandbox : IDisposable
{
    public const int SegmentSize = 1 << 20;

    public GetWalSandbox(Dictionary<string, string>? options = null)
    {
        var all = new Dictionary<string, string> { ["description"] = "get-wal", ["conninfo"] = "host=127.0.0.1 port=1", ["archiver"] = "on" };
        foreach (var (key, value) in options ?? [])
            all[key] = value;
        Home.WriteConfig(all);
        Home.CreateServerDirectories();
        Output = Path.Combine(Home.Root, "out");
        Directory.CreateDirectory(Output);
    }

    public BarmanHome Home { get; } = new();

    /// <summary>A directory for <c>-o</c>.</summary>
    public string Output { get; }

    /// <summary>Deterministic segment content: half random, half zeros.</summary>
    public static byte[] Segment(int seed, int size = SegmentSize)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes.AsSpan(0, size / 2));
        return bytes;
    }

    /// <summary>Stores <paramref name="content"/> as <c>wals/&lt;hashdir&gt;/&lt;name&gt;</c>, compressed with <paramref name="codec"/> (null: plain).</summary>
    public string Store(string name, byte[] content, string? codec = null)
    {
        var directory = name.EndsWith(".history", StringComparison.Ordinal) ? Home.WalsDirectory() : Path.Combine(Home.WalsDirectory(), name[..16]);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var file = File.Create(path);
        if (codec is null)
        {
            file.Write(content);
            return path;
        }

        using (var compressor = new WalCodecRegistry().Get(codec).OpenCompressor(file, leaveOpen: true))
            compressor.Write(content);
        return path;
    }

    /// <summary>The bytes a codec makes of <paramref name="content"/>.</summary>
    public static byte[] Compress(byte[] content, string codec)
    {
        using var buffer = new MemoryStream();
        using (var compressor = new WalCodecRegistry().Get(codec).OpenCompressor(buffer, leaveOpen: true))
            compressor.Write(content);
        return buffer.ToArray();
    }

    /// <summary>The plain bytes of <paramref name="stored"/> compressed with <paramref name="codec"/>.</summary>
    public static byte[] Decompress(byte[] stored, string codec)
    {
        using var decoder = new WalCodecRegistry().Get(codec).OpenDecompressor(new MemoryStream(stored));
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>Runs <c>barman-wal -c CONFIG get-wal ARGS &gt; FILE</c> and returns the result and FILE's bytes.</summary>
    public async Task<(ProcessResult Result, byte[] Stdout)> GetWalToFileAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var file = Path.Combine(Home.Root, "stdout-" + Guid.NewGuid().ToString("N")[..8]);
        // As every end-to-end test runs it: the home's barman_user (setpriv), with stdout redirected by the shell.
        Home.GiveToUser();
        var (program, toolArguments, toolEnvironment) = ToolRunner.Command(["-c", Home.ConfigPath, "get-wal", .. arguments], Home.User, environment);
        var result = await ProcessRunner.RunAsync("/bin/sh",
            ["-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", file, program, .. toolArguments],
            toolEnvironment, timeout: TimeSpan.FromSeconds(90));
        var bytes = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        return (result, bytes);
    }

    /// <summary>Runs <c>barman-wal -c CONFIG get-wal ARGS</c> (text output).</summary>
    public Task<ProcessResult> GetWalAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        ToolRunner.RunAsync(Home, ["get-wal", .. arguments], environment, TimeSpan.FromSeconds(90));

    public void Dispose() => Home.Dispose();
}
