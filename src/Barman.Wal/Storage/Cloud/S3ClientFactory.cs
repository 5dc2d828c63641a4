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
    public static (IAmazonS3 Client, bool EndpointOverridden) Create(ServerOptions server, Func<string, string?>? environment = null) =>
        Create(server.AwsProfile, server.AwsRegion, server.AwsReadTimeout, environment);

    /// <summary>
    /// The client for <c>aws_profile</c>, <c>aws_region</c> and <c>aws_read_timeout</c> (seconds), reading the
    /// AWS environment variables through <paramref name="environment"/> (the process environment by default).
    /// </summary>
    public static (IAmazonS3 Client, bool EndpointOverridden) Create(
        string? awsProfile, string? awsRegion, long? awsReadTimeout, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var profile = awsProfile is { Length: > 0 } profileName ? FindProfile(profileName) : null;
        var config = new AmazonS3Config
        {
            Timeout = awsReadTimeout is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
            MaxErrorRetry = MaxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
        };
        if (profile is not null)
            config.Profile = new Profile(profile.Name);
        var region = awsRegion is { Length: > 0 } configured ? configured : null;
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

        var credentials = profile is { CanCreateAWSCredentials: true }
            ? profile.GetAWSCredentials(profile.CredentialProfileStore)
            : EnvironmentCredentials(environment);
        var client = credentials is not null ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
        return (client, endpoint is not null);
    }

    /// <summary>AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN); null lets the SDK's chain decide.</summary>
    private static AWSCredentials? EnvironmentCredentials(Func<string, string?> environment)
    {
        if (NonEmpty(environment("AWS_ACCESS_KEY_ID")) is not { } keyId || NonEmpty(environment("AWS_SECRET_ACCESS_KEY")) is not { } secret)
            return null;
        return NonEmpty(environment("AWS_SESSION_TOKEN")) is { } token
            ? new SessionAWSCredentials(keyId, secret, token)
            : new BasicAWSCredentials(keyId, secret);
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
