using System.Text.Json;
using Barman.Wal.Storage.Cloud;
using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Cloud;

/// <summary>
/// The conditional-write probe and barman-wal's <c>cloud conditional writes</c> check row, against a store that
/// enforces <c>If-None-Match: *</c> (OK) and one that ignores it (WARNING) (subclasses).
/// </summary>
public abstract class CloudConditionalWritesCheckTests(S3ServerHarness s3) : IDisposable
{
    private const string CacheFile = "barman-wal-conditional-writes.json";
    private readonly BarmanHome _home = new();

    private bool Enforced => !s3.Server.IgnoresConditions;

    private static string PrefixOf(string url) => url["s3://".Length..].Split('/', 2)[1] + "/";

    private string Configure(string testName)
    {
        var url = s3.NewUrl(testName);
        _home.WriteConfig(new Dictionary<string, string>
        {
            ["conninfo"] = "host=127.0.0.1 port=1 dbname=postgres",
            ["archiver"] = "on",
            ["compression"] = "gzip",
            ["wals_directory"] = url,
            ["xlogdb_directory"] = _home.WalsDirectory(),
        });
        _home.CreateServerDirectories();
        File.WriteAllText(_home.XlogDbPath(), "000000010000000000000001\t16777216\t1700000000.0\tgzip\tNone\n");
        return url;
    }

    private Task<ProcessResult> CheckAsync(string? endpoint = null)
    {
        var environment = new Dictionary<string, string?>(s3.Server.Environment);
        if (endpoint is not null)
        {
            environment["AWS_ENDPOINT_URL"] = endpoint;
            environment["AWS_ENDPOINT_URL_S3"] = endpoint;
        }

        return ToolRunner.RunAsync(_home, ["check", "pg1"], environment);
    }

    private JsonElement ReadCache()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_home.ServerDirectory(), CacheFile)));
        return document.RootElement.Clone();
    }

    private string ExpectedLinePrefix => Enforced ? "\tcloud conditional writes: OK (" : "\tcloud conditional writes: WARNING (";

    [Fact]
    public async Task Probe_tells_the_mode_and_leaves_no_marker()
    {
        var url = s3.NewUrl(nameof(Probe_tells_the_mode_and_leaves_no_marker));
        using var client = s3.Server.CreateClient();

        var enforced = await ConditionalWriteProbe.IsEnforcedAsync(client, CloudWalLocation.Parse(url, "pg1"));

        enforced.Should().Be(Enforced);
        (await s3.ListKeysAsync(PrefixOf(url))).Should().BeEmpty("the marker is deleted");
    }

    [Fact]
    public async Task Check_prints_the_verdict_after_Barmans_rows_caches_it_and_probes_again_when_the_endpoint_changes()
    {
        var url = Configure(nameof(Check_prints_the_verdict_after_Barmans_rows_caches_it_and_probes_again_when_the_endpoint_changes));

        var first = await CheckAsync();

        var lines = first.StdoutLines;
        lines[^1].Should().StartWith(ExpectedLinePrefix, first.ToString()).And.Contain(s3.Server.EndpointUrl);
        lines[^2].Should().StartWith("\tarchiver errors: ", "barman-wal's row comes after Barman's rows");
        first.ExitCode.Should().Be(1, "PostgreSQL is unreachable (FAILED); the conditional-write row alone never fails the check");
        first.StdoutLines.Where(l => l.Contains("FAILED", StringComparison.Ordinal)).Should().OnlyContain(l => l.StartsWith("\tPostgreSQL: ", StringComparison.Ordinal));
        var cache = ReadCache();
        cache.GetProperty("endpoint").GetString().Should().Be(s3.Server.EndpointUrl);
        cache.GetProperty("bucket").GetString().Should().Be(s3.Server.Bucket);
        cache.GetProperty("enforced").GetBoolean().Should().Be(Enforced);
        (await s3.ListKeysAsync(PrefixOf(url))).Should().BeEmpty("the probe cleans up its marker");

        // The next run trusts the cache: flip the cached verdict, and the line follows it (no probe was made).
        var flipped = File.ReadAllText(Path.Combine(_home.ServerDirectory(), CacheFile))
            .Replace($"\"enforced\": {(Enforced ? "true" : "false")}", $"\"enforced\": {(Enforced ? "false" : "true")}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_home.ServerDirectory(), CacheFile), flipped);
        var cached = await CheckAsync();
        cached.StdoutLines[^1].Should().StartWith(Enforced ? "\tcloud conditional writes: WARNING (" : "\tcloud conditional writes: OK (");

        // Another endpoint (the same server by another name) is probed again and the cache rewritten.
        var other = $"http://localhost:{s3.Server.Port}";
        var reprobed = await CheckAsync(other);
        reprobed.StdoutLines[^1].Should().StartWith(ExpectedLinePrefix, reprobed.ToString()).And.Contain(other);
        ReadCache().GetProperty("endpoint").GetString().Should().Be(other);
        ReadCache().GetProperty("enforced").GetBoolean().Should().Be(Enforced);
    }

    public void Dispose()
    {
        _home.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The check row on a store that enforces <c>If-None-Match: *</c>: OK.</summary>
[Collection(S3ServerCollection.Name)]
public sealed class EnforcingCloudConditionalWritesCheckTests(S3ServerHarness s3) : CloudConditionalWritesCheckTests(s3);

/// <summary>The check row on a store that ignores conditional writes: WARNING.</summary>
[Collection(IgnoringS3ServerCollection.Name)]
public sealed class IgnoringCloudConditionalWritesCheckTests(IgnoringS3ServerHarness s3) : CloudConditionalWritesCheckTests(s3);
