namespace Barman.Wal.Configuration;

/// <summary>Recognises the cloud URLs Barman 3.18 accepts in <c>wals_directory</c>.</summary>
internal static class CloudUrl
{
    public const string AwsS3 = "aws-s3";
    public const string GoogleCloudStorage = "google-cloud-storage";
    public const string AzureBlobStorage = "azure-blob-storage";

    /// <summary>The provider name for a cloud URL, or null for a local path.</summary>
    public static string? Provider(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var sep = value.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            return null;
        }

        var scheme = value[..sep].ToLowerInvariant();
        var afterScheme = value[(sep + 3)..];
        var slash = afterScheme.IndexOf('/', StringComparison.Ordinal);
        var host = (slash < 0 ? afterScheme : afterScheme[..slash]).ToLowerInvariant();
        var path = slash < 0 ? string.Empty : afterScheme[slash..];
        if (scheme == "s3" && host.Length > 0)
        {
            return AwsS3;
        }

        if (scheme == "gs" || (host == "console.cloud.google.com" && path.StartsWith("/storage/browser/", StringComparison.Ordinal)))
        {
            return GoogleCloudStorage;
        }

        var hostName = host.Contains('@', StringComparison.Ordinal) ? host[(host.LastIndexOf('@') + 1)..] : host;
        hostName = hostName.Split(':')[0];
        if (hostName.EndsWith("blob.core.windows.net", StringComparison.Ordinal) && path.Length > 1)
        {
            return AzureBlobStorage;
        }

        return null;
    }
}
