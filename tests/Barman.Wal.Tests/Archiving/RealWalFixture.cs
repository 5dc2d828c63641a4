using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Archiving;

/// <summary>
/// Real WAL from a throwaway PostgreSQL 15: segments made under pgbench and a backup label, archived by
/// the cluster's archive_command into its incoming directory. Tests copy what they need.
/// </summary>
public sealed class RealWalFixture : IAsyncLifetime
{
    private readonly PostgresCluster _cluster = new();

    /// <summary>Complete segment names, in order.</summary>
    public IReadOnlyList<string> Segments { get; private set; } = [];

    /// <summary>The backup label archived by pg_backup_stop.</summary>
    public string BackupLabel { get; private set; } = "";

    /// <summary>The cluster's system identifier.</summary>
    public ulong SystemIdentifier => _cluster.SystemIdentifier;

    public async Task InitializeAsync()
    {
        await _cluster.StartAsync();
        await _cluster.RunPgbenchAsync(scale: 1, transactions: 200);
        await _cluster.ExecuteAsync("SELECT pg_backup_start('barman-wal-test', true); SELECT * FROM pg_backup_stop(true);");
        await _cluster.GenerateSegmentsAsync(3);
        await Task.Delay(200);
        var names = Directory.GetFiles(_cluster.IncomingDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        Segments = names.Where(Barman.Wal.Xlog.WalName.IsWalFile).ToList();
        BackupLabel = names.Single(Barman.Wal.Xlog.WalName.IsBackupFile);
    }

    /// <summary>Copies archived files into <paramref name="directory"/>, keeping mtimes.</summary>
    public void CopyTo(string directory, params string[] names)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in names)
        {
            var target = Path.Combine(directory, name);
            File.Copy(Path.Combine(_cluster.IncomingDirectory, name), target);
        }
    }

    /// <summary>The bytes of an archived file.</summary>
    public byte[] Read(string name) => File.ReadAllBytes(Path.Combine(_cluster.IncomingDirectory, name));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
