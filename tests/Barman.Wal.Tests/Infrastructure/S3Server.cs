using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;

namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// The S3 test server (tools/s3rver) on 127.0.0.1 and a free port, with its data in a temp
/// directory and one bucket created. Use as an xUnit class/collection fixture.
/// </summary>
public sealed class S3Server : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The only access key id s3rver accepts (see tools/s3rver/README.md).</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>Any secret works (signatures are not checked); this one is used everywhere.</summary>
    public const string SecretKey = "S3RVER";

    private readonly bool _ignoreConditions;
    private Process? _process;
    private int _port;

    /// <summary>A server that enforces conditional writes (the default mode).</summary>
    public S3Server()
        : this(ignoreConditions: false)
    {
    }

    /// <summary>
    /// True runs the server with <c>S3RVER_IGNORE_CONDITIONS=1</c>: it ignores <c>If-None-Match</c> / <c>If-Match</c>
    /// on PUT (a conditional PUT always stores, overwriting), as many S3-compatible stores do. Not public: xUnit
    /// fixtures may have one public constructor only.
    /// </summary>
    internal S3Server(bool ignoreConditions) => _ignoreConditions = ignoreConditions;

    /// <summary>True when the server ignores <c>If-None-Match</c> / <c>If-Match</c> on PUT.</summary>
    public bool IgnoresConditions => _ignoreConditions;

    /// <summary>Where s3rver keeps objects (<c>&lt;bucket&gt;/&lt;key&gt;._S3rver_object</c>).</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("barman-wal-s3-").FullName;

    /// <summary>The bucket created at start.</summary>
    public string Bucket { get; } = "barman-wal-test";

    /// <summary>The port; kept across <see cref="StopAsync"/>/<see cref="StartAgainAsync"/>.</summary>
    public int Port => _port;

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string EndpointUrl => $"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Environment variables that point AWS clients (the SDK, barman-wal) at this server.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = EndpointUrl,
        ["AWS_ENDPOINT_URL_S3"] = EndpointUrl,
    };

    public Task InitializeAsync() => StartProcessAsync(0, CancellationToken.None);

    /// <summary>Starts the server again on the same port with the same data (after <see cref="StopAsync"/>).</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        IsRunning ? Task.CompletedTask : StartProcessAsync(_port, cancellationToken);

    /// <summary>Stops the server (clean stop by stdin EOF, then SIGKILL to its process group); data is kept.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is null)
        {
            return;
        }

        var p = _process;
        _process = null;
        try
        {
            if (!p.HasExited)
            {
                p.StandardInput.Close();
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await p.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            await KillGroupAsync(p.Id);
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync(CancellationToken.None);
            }

            p.Dispose();
        }
    }

    /// <summary>An S3 client configured as tools/s3rver/README.md requires (unchunked uploads, checksums only when required).</summary>
    public IAmazonS3 CreateClient(TimeSpan? timeout = null, int maxErrorRetry = 2)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = EndpointUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxErrorRetry = maxErrorRetry,
        };
        return new UnchunkedS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
    }

    /// <summary>A fresh key prefix for one test: its name plus a GUID.</summary>
    public static string NewPrefix(string testName) => $"{testName}-{Guid.NewGuid():N}/";

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private async Task StartProcessAsync(int port, CancellationToken cancellationToken)
    {
        var script = RepositoryPaths.Combine("tools", "s3rver", "start.sh");
        if (!File.Exists(script))
        {
            throw new PrerequisiteMissingException($"{script} not found");
        }

        Prerequisites.Program("node", "nodejs");
        Prerequisites.Program("npm", "npm");
        // setsid makes the server the leader of its own process group, so StopAsync can kill it whole.
        var psi = new ProcessStartInfo(Prerequisites.Program("setsid", "util-linux"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "bash", script, DataDirectory, port.ToString(CultureInfo.InvariantCulture), Bucket })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["S3RVER_EXIT_ON_STDIN_EOF"] = "1";   // the server goes when the test process dies
        if (_ignoreConditions)
        {
            psi.Environment["S3RVER_IGNORE_CONDITIONS"] = "1";
        }
        else
        {
            psi.Environment.Remove("S3RVER_IGNORE_CONDITIONS");
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start tools/s3rver/start.sh");
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        p.BeginErrorReadLine();
        try
        {
            // The first start runs npm ci (a few seconds); later ones take well under a second.
            var line = await p.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            if (line is null)
            {
                await p.WaitForExitAsync(cancellationToken);
                string err;
                lock (stderr)
                {
                    err = stderr.ToString();
                }

                throw new InvalidOperationException($"S3 test server exited ({p.ExitCode}) before it was ready: {err}");
            }

            _port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
            _process = p;
        }
        catch
        {
            await KillGroupAsync(p.Id);
            p.Dispose();
            throw;
        }
    }

    private static async Task KillGroupAsync(int pid)
    {
        // kill -KILL -- -<pgid>; harmless when the group is already gone.
        await ProcessRunner.RunAsync("kill", ["-KILL", "--", "-" + pid.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
    }
}
