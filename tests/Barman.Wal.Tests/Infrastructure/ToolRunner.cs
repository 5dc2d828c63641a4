namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// Runs the built CLI (<c>dotnet barman-wal.dll ...</c>, copied next to the test assembly by
/// the project reference) as a separate process.
/// </summary>
public static class ToolRunner
{
    /// <summary>The CLI assembly next to the test assembly.</summary>
    public static string ToolAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "barman-wal.dll");

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH under dotnet test), else dotnet on PATH.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Prerequisites.Program("dotnet", "the .NET SDK");

    /// <summary>Runs barman-wal with <paramref name="arguments"/>; the default time limit is 60 s.</summary>
    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? stdin = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ToolAssembly))
        {
            throw new InvalidOperationException($"{ToolAssembly} not found: build the solution first");
        }

        return ProcessRunner.RunAsync(
            DotnetHost,
            [ToolAssembly, .. arguments],
            environment,
            workingDirectory,
            timeout ?? TimeSpan.FromSeconds(60),
            stdin,
            cancellationToken);
    }

    /// <summary>Runs <c>barman-wal -c &lt;config&gt; &lt;arguments&gt;</c>.</summary>
    public static Task<ProcessResult> RunAsync(
        BarmanHome home,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(["-c", home.ConfigPath, .. arguments], environment, timeout, cancellationToken: cancellationToken);
}
