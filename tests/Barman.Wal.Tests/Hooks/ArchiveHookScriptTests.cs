using Barman.Wal.Catalog;
using Barman.Wal.Encryption;

namespace Barman.Wal.Tests.Hooks;

/// <summary>archive-wal runs the four archive hooks as Barman 3.18 does (spec: hooks-encryption §1–4).</summary>
public sealed class ArchiveHookScriptTests : IDisposable
{
    private const string Wal1 = "000000010000000000000001";
    private const string Wal2 = "000000010000000000000002";
    private readonly HookSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private Dictionary<string, string> AllRecorders(Dictionary<string, string>? extra = null)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pre_archive_script"] = _sandbox.Recorder("pre"),
            ["pre_archive_retry_script"] = _sandbox.Recorder("pre_retry"),
            ["post_archive_retry_script"] = _sandbox.Recorder("post_retry"),
            ["post_archive_script"] = _sandbox.Recorder("post"),
        };
        foreach (var (k, v) in extra ?? [])
            options[k] = v;
        return options;
    }

    [Fact]
    public async Task ArchiveWal_hooks_run_in_order_with_the_exact_environment_per_phase()
    {
        _sandbox.Configure(AllRecorders(new() { ["compression"] = "gzip" }));
        var source = _sandbox.AddWal(Wal1);
        var timestamp = HookSandbox.Timestamp(source);

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        _sandbox.Order().Should().Equal("pre", "pre_retry", "post_retry", "post");
        var line = _sandbox.Home.ReadXlogDb().Should().ContainSingle().Subject;
        var stored = XlogDbLine.Parse(line);
        stored.Compression.Should().Be("gzip");
        Dictionary<string, string> Expected(string hook, string phase, string retry, string file, long size, string compression) => new(StringComparer.Ordinal)
        {
            ["BARMAN_COMPRESSION"] = compression,
            ["BARMAN_CONFIGURATION"] = _sandbox.Home.ConfigPath,
            ["BARMAN_ERROR"] = "",
            ["BARMAN_FILE"] = file,
            ["BARMAN_HOOK"] = hook,
            ["BARMAN_PHASE"] = phase,
            ["BARMAN_RETRY"] = retry,
            ["BARMAN_SEGMENT"] = Wal1,
            ["BARMAN_SERVER"] = HookSandbox.Server,
            ["BARMAN_SIZE"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BARMAN_TIMESTAMP"] = timestamp,
            ["BARMAN_VERSION"] = "3.18.0",
        };
        var storedPath = _sandbox.Stored(Wal1);
        _sandbox.Recorded("pre", Wal1).Should().Equal(Expected("archive_script", "pre", "0", source, 16 << 20, ""));
        _sandbox.Recorded("pre_retry", Wal1).Should().Equal(Expected("archive_retry_script", "pre", "1", source, 16 << 20, ""));
        _sandbox.Recorded("post_retry", Wal1).Should().Equal(Expected("archive_retry_script", "post", "1", storedPath, stored.Size, "gzip"));
        _sandbox.Recorded("post", Wal1).Should().Equal(Expected("archive_script", "post", "0", storedPath, stored.Size, "gzip"));
        _sandbox.Log().Should().Contain($"barman.hooks DEBUG: Attempt to run archive_retry_script: {_sandbox.Recorder("pre_retry")}");
    }

    [Fact]
    public async Task ArchiveWal_pre_retry_63_stops_the_archiver_and_post_retry_sees_the_reason()
    {
        _sandbox.Configure(AllRecorders(new() { ["pre_archive_retry_script"] = "exit 63" }));
        _sandbox.AddWal(Wal1);
        _sandbox.AddWal(Wal2);
        const string reason = "Abort 'pre_archive_retry_script' retry hook script (exit 63, exit code: 63)";

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdoutLines.Should().Equal("Processing xlog segments from file archival for pg1", "\t" + Wal1);
        File.Exists(Path.Combine(_sandbox.Home.IncomingDirectory(), Wal1)).Should().BeTrue();
        File.Exists(Path.Combine(_sandbox.Home.IncomingDirectory(), Wal2)).Should().BeTrue();
        _sandbox.Home.ReadXlogDb().Should().BeEmpty();
        _sandbox.Order().Should().Equal("pre", "post_retry", "post");
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_ERROR"].Should().Be(reason);
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_FILE"].Should().Be(_sandbox.Stored(Wal1));
        _sandbox.Recorded("post", Wal1)["BARMAN_ERROR"].Should().BeEmpty();
        var log = _sandbox.Log();
        log.Should().Contain("barman.hooks ERROR: exit 63 was aborted (got exit status 63, Barman requested to stop)");
        log.Should().Contain($"barman.wal_archiver WARNING: Archiving of pg1/{Wal1} aborted by pre_archive_retry_script.Reason: {reason}");
    }

    [Fact]
    public async Task ArchiveWal_pre_retry_62_resumes_archiving()
    {
        _sandbox.Configure(new Dictionary<string, string> { ["pre_archive_retry_script"] = "exit 62" });
        _sandbox.AddWal(Wal1);

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        File.Exists(_sandbox.Stored(Wal1)).Should().BeTrue();
        _sandbox.Home.ReadXlogDb().Should().ContainSingle();
        _sandbox.Log().Should().Contain("barman.hooks WARNING: exit 62 was aborted (got exit status 62, Barman resumes)");
    }

    [Fact]
    public async Task ArchiveWal_post_retry_63_is_only_logged()
    {
        _sandbox.Configure(new Dictionary<string, string> { ["post_archive_retry_script"] = "exit 63" });
        _sandbox.AddWal(Wal1);
        _sandbox.AddWal(Wal2, seed: 1);

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        _sandbox.Home.ReadXlogDb().Should().HaveCount(2);
        _sandbox.Log().Should().Contain("WARNING: Ignoring stop request after receiving abort (exit code 63) from post-archive retry hook script: exit 63");
    }

    [Fact]
    public async Task ArchiveWal_failing_retry_script_is_run_again_after_three_seconds()
    {
        var marker = Path.Combine(_sandbox.Records, "failed-once");
        var script = $"echo attempt >> {_sandbox.Records}/attempts; if [ -f {marker} ]; then exit 0; fi; touch {marker}; exit 1";
        _sandbox.Configure(new Dictionary<string, string> { ["pre_archive_retry_script"] = script });
        _sandbox.AddWal(Wal1);

        var started = DateTime.UtcNow;
        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromSeconds(3));
        File.ReadAllLines(Path.Combine(_sandbox.Records, "attempts")).Should().HaveCount(2);
        File.Exists(_sandbox.Stored(Wal1)).Should().BeTrue();
        var log = _sandbox.Log();
        log.Should().Contain($"barman.hooks WARNING: {script} returned 1\nOutput details:\n");
        log.Should().Contain("barman.hooks DEBUG: Retry again in 3 seconds");
    }

    [Fact]
    public async Task ArchiveWal_failing_normal_hook_does_not_change_the_outcome_and_logs_its_output()
    {
        const string script = "echo out; echo err >&2; exit 5";
        _sandbox.Configure(new Dictionary<string, string> { ["pre_archive_script"] = script });
        _sandbox.AddWal(Wal1);

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().BeEmpty();
        File.Exists(_sandbox.Stored(Wal1)).Should().BeTrue();
        var log = _sandbox.Log();
        log.Should().Contain("Command DEBUG: out\n");
        log.Should().Contain("Command WARNING: err\n");
        log.Should().Contain("Command DEBUG: Command return code: 5\n");
        log.Should().Contain($"barman.hooks WARNING: {script} returned 5\nOutput details:\nout\nerr\n");
    }

    [Fact]
    public async Task ArchiveWal_failure_runs_post_hooks_with_the_error_for_the_retry_one_only()
    {
        _sandbox.Configure(AllRecorders(new() { ["encryption"] = "gpg" }));
        var source = _sandbox.AddWal(Wal1);

        var result = await _sandbox.ArchiveWalAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        result.StderrLines.Should().Equal($"EXCEPTION: {GpgEncryptor.MissingRecipient}", "See log file for more details.");
        File.Exists(source).Should().BeTrue();
        _sandbox.Home.ReadXlogDb().Should().BeEmpty();
        _sandbox.Order().Should().Equal("pre", "pre_retry", "post_retry", "post");
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_ERROR"].Should().Be(GpgEncryptor.MissingRecipient);
        _sandbox.Recorded("post", Wal1)["BARMAN_ERROR"].Should().BeEmpty();
    }

    [Fact]
    public async Task ArchiveWal_duplicates_pass_Barman_record_text_in_BARMAN_ERROR()
    {
        _sandbox.Configure(AllRecorders());
        _sandbox.AddWal(Wal1);
        (await _sandbox.ArchiveWalAsync()).ExitCode.Should().Be(0);

        var same = _sandbox.AddWal(Wal1);
        var sameTime = HookSandbox.Timestamp(same);
        var matching = await _sandbox.ArchiveWalAsync();
        var matchingError = _sandbox.Recorded("post_retry", Wal1)["BARMAN_ERROR"];
        var different = _sandbox.AddWal(Wal1, seed: 7);
        var differentTime = HookSandbox.Timestamp(different);
        var duplicate = await _sandbox.ArchiveWalAsync();

        matching.ExitCode.Should().Be(0, matching.ToString());
        matchingError.Should().Be(
            $"MatchingDuplicateWalFile:WalFileInfo(compression=None, encryption=None, name='{Wal1}', size=16777216, time={sameTime})");
        duplicate.ExitCode.Should().Be(0, duplicate.ToString());
        duplicate.StdoutLines.Should().Contain($"\tError: {Wal1} is already present in server pg1. File moved to errors directory.");
        _sandbox.Recorded("post_retry", Wal1)["BARMAN_ERROR"].Should().Be(
            $"DuplicateWalFile:WalFileInfo(compression=None, encryption=None, name='{Wal1}', size=16777216, time={differentTime})");
        _sandbox.Recorded("post", Wal1)["BARMAN_ERROR"].Should().BeEmpty();
    }
}
