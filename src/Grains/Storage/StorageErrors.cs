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

    /// <summary>
    /// A statement PostgreSQL refused for a reason that retrying will not change. Data it cannot take (class 22: e.g.
    /// a NUL in text, an unsupported escape in jsonb; class 23: a constraint; class 54: a value over a limit) is the
    /// request's fault: 422. Anything else is the service's fault, answered as "unavailable" (503, logged by the caller)
    /// rather than as an unexplained 500.
    /// </summary>
    public static ChatException Refused(PostgresException e) => e.SqlState[..2] switch
    {
        "22" or "23" or "54" => new ChatException(ChatErrorKind.Invalid, $"cannot be stored (PostgreSQL refused it: SQLSTATE {e.SqlState})", "message"),
        _ => new ChatException(ChatErrorKind.Unavailable, $"Storage refused the write (SQLSTATE {e.SqlState}); retry later."),
    };

    /// <summary>
    /// Also a failover under way (25006, read-only transaction): pg_auto_failover keeps a demoted primary and a
    /// standby being promoted read-only, and a pooled connection may still point at either.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true,
        SocketException or TimeoutException or IOException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };
}
