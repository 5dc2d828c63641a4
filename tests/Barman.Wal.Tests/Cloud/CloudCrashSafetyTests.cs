using System.IO.Compression;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>
/// The built barman-wal with an s3:// wals_directory, SIGKILLed mid-upload, after an upload and around
/// the catalog append (BARMAN_WAL_FAULT): nothing leaves incoming before its object is stored and
/// catalogued, and the next normal run completes with one catalog line per WAL and identical content. Run on a
/// store that enforces conditional writes and on one that ignores them (subclasses).
/// </summary>
public abstract class CloudCrashSafetyTests(S3ServerHarness s3)
{
    private const int Killed = 137;
    private static readonly string Raw = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression", "raw");
    private static readonly string[] Names = ["000000010000000000000004", "000000010000000000000007.00000028.backup", "00000002.history"];

    /// <summary>
    /// Archives three WAL (a segment, a backup label, a history file) with <paramref name="fault"/> armed: the
    /// process is killed there; then a normal run completes.
    /// </summary>
    protected async Task KilledAtStepLosesNothingAndNextRunCompletesAsync(string fault, string codec)
    {
        using var home = new BarmanHome();
        var url = s3.NewUrl($"crash-{fault.Replace(':', '-')}-{codec}");
        var options = new Dictionary<string, string>
        {
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["wals_directory"] = url,
            ["xlogdb_directory"] = home.WalsDirectory(),
            // 5 MiB parts: the 16 MiB segment goes up as a multipart upload, so mid-upload is reached.
            ["cloud_upload_min_chunk_size"] = "5242880",
        };
        if (codec != "none")
            options["compression"] = codec;
        home.WriteConfig(options);
        home.CreateServerDirectories();
        foreach (var name in Names)
            File.Copy(Path.Combine(Raw, name), Path.Combine(home.IncomingDirectory(), name));
        var env = new Dictionary<string, string?>(s3.Server.Environment) { [Barman.Wal.Platform.FaultInjection.Variable] = fault };

        var crashed = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], env);

        crashed.ExitCode.Should().Be(Killed, crashed.ToString());
        var catalogued = CataloguedNames(home);
        foreach (var name in Names)
        {
            var inIncoming = File.Exists(Path.Combine(home.IncomingDirectory(), name));
            (inIncoming || catalogued.Contains(name)).Should().BeTrue($"{name} must be in incoming or catalogued after the kill at {fault}");
        }

        env[Barman.Wal.Platform.FaultInjection.Variable] = null;
        var normal = await ToolRunner.RunAsync(home, ["archive-wal", "pg1"], env);

        normal.ExitCode.Should().Be(0, normal.ToString());
        Directory.GetFileSystemEntries(home.IncomingDirectory()).Should().BeEmpty();
        CataloguedNames(home).Should().BeEquivalentTo(Names).And.OnlyHaveUniqueItems();
        if (Directory.Exists(home.ErrorsDirectory()))
            Directory.GetFileSystemEntries(home.ErrorsDirectory()).Should().BeEmpty("no false duplicates");
        foreach (var name in Names)
            (await StoredPlainBytesAsync(url, name, codec)).Should().Equal(File.ReadAllBytes(Path.Combine(Raw, name)));
    }

    private static List<string> CataloguedNames(BarmanHome home) =>
        File.Exists(home.XlogDbPath()) ? home.ReadXlogDb().Select(l => l.Split('\t')[0]).ToList() : [];

    private async Task<byte[]> StoredPlainBytesAsync(string url, string name, string codec)
    {
        var prefix = url["s3://".Length..].Split('/', 2)[1];
        var directory = name.EndsWith(".history", StringComparison.Ordinal) ? string.Empty : name[..16] + "/";
        var key = $"{prefix}/pg1/wals/{directory}{name}{(codec == "gzip" ? ".gz" : string.Empty)}";
        var stored = await s3.ReadObjectAsync(key);
        if (codec != "gzip")
            return stored;
        using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        return plain.ToArray();
    }
}

/// <summary>Crash safety on a store that enforces <c>If-None-Match: *</c>.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class EnforcingCloudCrashSafetyTests(S3ServerHarness s3) : CloudCrashSafetyTests(s3)
{
    [Theory]
    [InlineData("mid-upload:1", "none")]
    [InlineData("mid-upload:2", "none")]
    [InlineData("after-upload:1", "none")]
    [InlineData("after-upload:2", "gzip")]
    [InlineData("after-catalog-append:1", "gzip")]
    [InlineData("before-source-removal:2", "none")]
    [InlineData("after-source-removal:1", "gzip")]
    public Task ArchiveWal_to_s3_killed_at_step_loses_nothing_and_next_run_completes(string fault, string codec) =>
        KilledAtStepLosesNothingAndNextRunCompletesAsync(fault, codec);
}

/// <summary>Crash safety on a store that ignores conditional writes (a PUT always overwrites).</summary>
[Collection(IgnoringS3ServerCollection.Name)]
public sealed class IgnoringCloudCrashSafetyTests(IgnoringS3ServerHarness s3) : CloudCrashSafetyTests(s3)
{
    // The steps where the store's mode matters: the upload, and the restart that finds the uploaded object.
    [Theory]
    [InlineData("mid-upload:1", "none")]
    [InlineData("after-upload:1", "none")]
    [InlineData("after-upload:2", "gzip")]
    public Task ArchiveWal_to_s3_killed_at_step_loses_nothing_and_next_run_completes(string fault, string codec) =>
        KilledAtStepLosesNothingAndNextRunCompletesAsync(fault, codec);
}
