using Barman.Wal.Xlog;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// Where a server's WAL objects live in a bucket (spec: storage §4.2, config §6.6): bucket and prefix from
/// an <c>s3://bucket[/prefix]</c> URL, keys <c>prefix/server/wals/hashdir/name+ext</c>.
/// </summary>
public sealed record CloudWalLocation(string Bucket, string Prefix, string Server)
{
    /// <summary>Parses <c>s3://bucket[/prefix]</c>: bucket = host, prefix = path without its leading <c>/</c>.</summary>
    public static CloudWalLocation Parse(string url, string server)
    {
        const string scheme = "s3://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            throw new CloudStorageException($"Unsupported cloud URL for wals_directory of server {server}: {url} (only s3:// is supported)");
        var rest = url[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (bucket.Length == 0)
            throw new CloudStorageException($"No bucket in the cloud URL for wals_directory of server {server}: {url}");
        return new CloudWalLocation(bucket, prefix, server);
    }

    /// <summary>The object key of <paramref name="name"/> stored with file extension <paramref name="extension"/>.</summary>
    public string KeyFor(string name, string? extension)
    {
        var wal = WalName.Parse(name);
        return Join(Prefix, Server, "wals", wal.HashDirectory, wal.Name) + (extension ?? string.Empty);
    }

    /// <summary>The key prefix every stored object of the server starts with: <c>prefix/server/wals/</c>.</summary>
    public string WalsPrefix => Join(Prefix, Server, "wals") + "/";
    /// <summary>The key <c>prefix/server/name</c> of an object that is not a WAL (e.g. a probe marker).</summary>
    public string ServerKey(string name) => Join(Prefix, Server, name);

    /// <summary><c>s3://bucket/key</c>, for messages.</summary>
    public string UrlOf(string key) => $"s3://{Bucket}/{key}";

    /// <summary>Joins with <c>/</c> between non-empty parts, like a path join that drops empty parts.</summary>
    private static string Join(params string[] parts)
    {
        var result = string.Empty;
        foreach (var part in parts)
        {
            if (part.Length == 0)
                continue;
            result = result.Length == 0 || result.EndsWith('/') ? result + part : result + "/" + part;
        }

        return result;
    }
}
