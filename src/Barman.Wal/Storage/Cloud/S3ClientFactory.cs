using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Barman.Wal.Configuration;

namespace Barman.Wal.Storage.Cloud;

/// <summary>
/// Builds the S3 client of a server: standard credential chain (environment, <c>aws_profile</c>, instance
/// role), <c>aws_region</c>, endpoint override from <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c> or the
/// profile's <c>endpoint_url</c>, a finite timeout (<c>aws_read_timeout</c>, default 60 s) and bounded retries.
/// </summary>
/// <remarks>
/// With an endpoint override (S3-compatible servers) uploads go unchunked and checksums are computed and
/// validated only when an operation requires them, unless <c>AWS_REQUEST_CHECKSUM_CALCULATION</c> /
/// <c>AWS_RESPONSE_CHECKSUM_VALIDATION</c> (or the profile) say otherwise. Tests use this very path.
/// </remarks>
public static class S3ClientFactory
{
    /// <summary>The request timeout when <c>aws_read_timeout</c> is unset.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Retries after a failed attempt (timeouts and 5xx are retried, 4xx answers are not).</summary>
    public const int MaxErrorRetry = 2;

    /// <summary>The client and whether uploads must avoid aws-chunked bodies.</summary>
    public static (IAmazonS3 Client, bool EndpointOverridden) Create(ServerOptions server, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var profile = server.AwsProfile is { Length: > 0 } profileName ? FindProfile(profileName) : null;
        var config = new AmazonS3Config
        {
            Timeout = server.AwsReadTimeout is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
            MaxErrorRetry = MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
        };
        if (profile is not null)
            config.Profile = new Profile(profile.Name);
        var region = server.AwsRegion is { Length: > 0 } configured ? configured : null;
        if (region is not null)
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        else if (profile?.Region is { } profileRegion)
            config.RegionEndpoint = profileRegion;

        var endpoint = EndpointOverride(profile, environment);
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? profile?.Region?.SystemName
                ?? environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION") ?? "us-east-1";
            if (environment("AWS_REQUEST_CHECKSUM_CALCULATION") is null && profile?.RequestChecksumCalculation is null)
                config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            if (environment("AWS_RESPONSE_CHECKSUM_VALIDATION") is null && profile?.ResponseChecksumValidation is null)
                config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        var client = profile is not null && profile.CanCreateAWSCredentials
            ? new AmazonS3Client(profile.GetAWSCredentials(profile.CredentialProfileStore), config)
            : new AmazonS3Client(config);
        return (client, endpoint is not null);
    }

    private static CredentialProfile FindProfile(string name) =>
        new CredentialProfileStoreChain().TryGetProfile(name, out var profile)
            ? profile
            : throw new CloudStorageException($"AWS profile '{name}' (aws_profile) not found in the AWS config or credentials files");

    private static string? EndpointOverride(CredentialProfile? profile, Func<string, string?> environment)
    {
        if (string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase))
            return null;
        return NonEmpty(environment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(environment("AWS_ENDPOINT_URL")) ?? NonEmpty(profile?.EndpointUrl);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
