using System.Globalization;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Barman.Wal.Storage.Cloud;

/// <summary>Recognises provider, network and timeout failures of S3 calls and words them in one line.</summary>
internal static class CloudFailure
{
    /// <summary>A provider, network or timeout failure (not a cancellation the caller asked for, not a Barman error).</summary>
    public static bool IsProviderFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        Errors.BarmanWalException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>The cause in one line: <c>403 InvalidAccessKeyId: …</c>, <c>no answer within 60 s</c>, or the message chain.</summary>
    public static string Describe(Exception e, IAmazonS3 client)
    {
        var text = e switch
        {
            AmazonServiceException s when s.StatusCode != 0 =>
                $"{(int)s.StatusCode} {(string.IsNullOrEmpty(s.ErrorCode) ? s.StatusCode.ToString() : s.ErrorCode)}: {s.Message}",
            OperationCanceledException or TimeoutException =>
                $"no answer within {client.Config.Timeout?.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "?"} s",
            _ when e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{e.Message}: {inner.Message}",
            _ => e.Message,
        };
        return text.ReplaceLineEndings(" ").Trim();
    }
}
