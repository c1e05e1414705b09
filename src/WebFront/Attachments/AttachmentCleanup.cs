using Microsoft.Extensions.Options;
using Npgsql;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// Removes uploads no message carries once they are older than <c>Attachments:UnattachedRetention</c> (24 h; uploads
/// that never completed too), and the files of deleted messages (unreachable from the moment of deletion: downloads
/// check it). Every front runs the timer, one runs the job: each run takes a PostgreSQL advisory lock for its
/// transaction and a front that does not get it skips that run. Rows are claimed <c>FOR UPDATE SKIP LOCKED</c>, so a
/// send linking an upload at that moment (its foreign key check holds a lock on the row) is never cut short; the
/// rows (and PostgreSQL's chunks, by cascade) go in the transaction, objects in a bucket right after its commit.
/// </summary>
public sealed partial class AttachmentCleanup(
    [FromKeyedServices(AttachmentServices.DataSourceKey)] NpgsqlDataSource dataSource,
    AttachmentStores stores,
    IOptions<AttachmentOptions> options,
    [FromKeyedServices(AttachmentOptions.ClockKey)] TimeProvider clock,
    ILogger<AttachmentCleanup> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x0C4A7_A77AC;
    private const int BatchSize = 500;

    private const string ClaimSql = """
        SELECT a.id, a.store FROM chat_attachments a
        WHERE (a.created_at < @cutoff AND NOT EXISTS (SELECT 1 FROM chat_message_attachments l WHERE l.attachment_id = a.id))
           OR EXISTS (SELECT 1 FROM chat_message_attachments l JOIN chat_messages m ON m.id = l.message_id
                      WHERE l.attachment_id = a.id AND m.is_deleted)
        ORDER BY a.id LIMIT @n
        FOR UPDATE OF a SKIP LOCKED
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e); // the next tick tries again
            }
        }
    }

    /// <summary>One batch; answers how many uploads it removed (0 also when another front holds the lock).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var removed = new List<(long Id, string Store)>();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
            {
                if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return 0;
                }
            }
            await using (var claim = new NpgsqlCommand(ClaimSql, connection, transaction))
            {
                claim.Parameters.AddWithValue("cutoff", (clock.GetUtcNow() - options.Value.UnattachedRetention).UtcDateTime);
                claim.Parameters.AddWithValue("n", BatchSize);
                await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    removed.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            if (removed.Count == 0)
            {
                return 0;
            }
            await using (var delete = new NpgsqlCommand("""
                DELETE FROM chat_message_attachments WHERE attachment_id = ANY(@ids);
                DELETE FROM chat_attachments WHERE id = ANY(@ids);
                """, connection, transaction))
            {
                delete.Parameters.AddWithValue("ids", removed.Select(r => r.Id).ToArray());
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var (id, store) in removed.Where(r => r.Store != AttachmentOptions.PostgresStore))
        {
            await DeleteBytesAsync(id, store, cancellationToken);
        }
        LogRemoved(logger, removed.Count);
        return removed.Count;
    }

    private async Task DeleteBytesAsync(long id, string store, CancellationToken cancellationToken)
    {
        try
        {
            if (stores.Named(store) is { } blobs)
            {
                await blobs.DeleteAsync(id, cancellationToken);
            }
            else
            {
                LogNoStore(logger, id, store);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The row is gone, so nothing serves these bytes any more; a bucket lifecycle rule can sweep strays.
            LogDeleteFailed(logger, e, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment cleanup removed {Count} uploads")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment cleanup failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId}: its bytes are in store {Store}, which this front is not configured for")]
    private static partial void LogNoStore(ILogger logger, long attachmentId, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId}: deleting its object failed")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, long attachmentId);
}
