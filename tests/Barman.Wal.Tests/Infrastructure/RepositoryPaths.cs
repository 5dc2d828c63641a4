namespace Barman.Wal.Tests.Infrastructure;

/// <summary>Finds files of the repository the tests were built from.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the first directory above the test assembly holding Barman.Wal.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>An absolute path inside the repository.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Barman.Wal.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"Barman.Wal.sln not found above {AppContext.BaseDirectory}");
    }
}
