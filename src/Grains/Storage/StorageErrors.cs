using System.Net.Sockets;
using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>A unique constraint refused an append: which one tells the thread grain how to recover.</summary>
public sealed class AppendConflictException(AppendConflict conflict, Exception inner)
    : Exception($"Append refused by {conflict}", inner)
{
    public AppendConflict Conflict { get; } = conflict;
}

public enum AppendConflict
{
    /// <summary>A seq is taken: another writer appended (split brain, or an ack lost after commit).</summary>
    Seq,

    /// <summary>A client_message_id was stored before: the send is a retry.</summary>
    ClientMessageId,
}

internal static class StorageErrors
{
    /// <summary>
    /// Turns "the database is not reachable" into a retryable chat error; anything else (a bug) propagates.
    /// </summary>
    public static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsTransient(e))
        {
            throw new ChatException(ChatErrorKind.Unavailable, "Storage is unavailable for a moment; retry.", null);
        }
    }

    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        SocketException or TimeoutException or IOException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };
}
