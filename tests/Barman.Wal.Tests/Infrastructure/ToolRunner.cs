namespace Barman.Wal.Tests.Infrastructure;

/// <summary>
/// Runs the built CLI (<c>dotnet barman-wal.dll ...</c>, copied next to the test assembly by
/// the project reference) as a separate process — as the home's <c>barman_user</c> (the unprivileged
/// <c>barman</c> OS user when the tests run as root), unless a test about root asks otherwise.
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

    /// <summary>
    /// Runs barman-wal with <paramref name="arguments"/> as <paramref name="runAs"/> (null = the test process's user);
    /// the default time limit is 60 s. With a <see cref="BarmanHome"/>, use the overload that takes it: it runs the
    /// tool as the home's <c>barman_user</c>.
    /// </summary>
    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? stdin = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default,
        OsUser? runAs = null)
    {
        if (!File.Exists(ToolAssembly))
        {
            throw new InvalidOperationException($"{ToolAssembly} not found: build the solution first");
        }

        var (program, commandLine, env) = Command(arguments, runAs, environment);
        return ProcessRunner.RunAsync(
            program,
            commandLine,
            env,
            workingDirectory,
            timeout ?? TimeSpan.FromSeconds(60),
            stdin,
            cancellationToken);
    }

    /// <summary>
    /// Runs <c>barman-wal -c &lt;config&gt; &lt;arguments&gt;</c> as the home's <see cref="BarmanHome.User"/>
    /// (after giving it what the test put in the home); <paramref name="asTestProcessUser"/> runs it as the
    /// test process's user instead, the home left as it is (tests about starting as root).
    /// </summary>
    public static Task<ProcessResult> RunAsync(
        BarmanHome home,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default,
        bool asTestProcessUser = false)
    {
        if (!asTestProcessUser)
            home.GiveToUser();
        return RunAsync(
            ["-c", home.ConfigPath, .. arguments],
            environment,
            timeout,
            cancellationToken: cancellationToken,
            runAs: asTestProcessUser ? null : home.User);
    }

    /// <summary>
    /// The program, arguments and environment that run barman-wal with <paramref name="arguments"/> as
    /// <paramref name="runAs"/>: through <c>setpriv</c> (uid, gid, the user's groups; <c>HOME</c>,
    /// <c>USER</c>, <c>LOGNAME</c> set) when the tests run as root, else directly.
    /// <paramref name="environment"/> entries win over those.
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?>? Environment) Command(
        IEnumerable<string> arguments, OsUser? runAs, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (runAs is null || !Prerequisites.IsRoot || runAs.Uid == 0)
            return (DotnetHost, [ToolAssembly, .. arguments], environment);

        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = runAs.HomeDirectory,
            ["USER"] = runAs.Name,
            ["LOGNAME"] = runAs.Name,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
            env[k] = v;
        var setpriv = Prerequisites.Program("setpriv", "util-linux");
        return (setpriv,
            [$"--reuid={runAs.Uid}", $"--regid={runAs.Gid}", "--init-groups", "--", DotnetHost, ToolAssembly, .. arguments],
            env);
    }
}
