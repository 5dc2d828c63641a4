namespace Barman.Wal.Hosting;

/// <summary>The DI keys of the storage strategy factories.</summary>
public static class StorageKinds
{
    /// <summary>A local <c>wals_directory</c>.</summary>
    public const string Local = "local";

    /// <summary>A cloud URL <c>wals_directory</c> (<c>s3://bucket/prefix</c>).</summary>
    public const string Cloud = "cloud";
}
