namespace Barman.Wal.Configuration;

/// <summary>A 3.17 configuration model section: its cluster and the options it overrides.</summary>
internal sealed record ConfigurationModel(
    string Name, string Cluster, IReadOnlyDictionary<string, (object? Value, string Raw)> Overrides);
