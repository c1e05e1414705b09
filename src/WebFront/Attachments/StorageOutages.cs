using System.Net.Sockets;
using Amazon.Runtime;
using Npgsql;

namespace OrleansChat.WebFront.Attachments;

/// <summary>Failures of PostgreSQL or the bucket while moving bytes: retryable (503), never an unexplained 500.</summary>
internal static class StorageOutages
{
    public static bool Is(Exception e) => e switch
    {
        NpgsqlException or AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or TimeoutException => true,
        _ => e.InnerException is { } inner && Is(inner),
    };

    public static ChatException Unavailable() => new(ChatErrorKind.Unavailable, "Attachment storage is unavailable for a moment; retry.");
}
