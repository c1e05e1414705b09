using Npgsql;

namespace OrleansChat.Grains.Outbox;

public sealed record PendingEvent(Guid EventId, string EventType, long ThreadId, long MessageId, string PayloadJson, DateTime CreatedAt, int Attempts);

/// <summary>
/// The outbox table as a work queue. Rows are leased (their next attempt pushed out) with SKIP LOCKED, so several
/// silos can deliver side by side without sending one event twice at the same time.
/// </summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    public async Task<List<PendingEvent>> LeaseAsync(int batchSize, TimeSpan lease)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE chat_integration_events e SET next_attempt = now() + @lease
            WHERE e.event_id IN (
                SELECT event_id FROM chat_integration_events
                WHERE delivered_at IS NULL AND next_attempt <= now()
                ORDER BY next_attempt LIMIT @n FOR UPDATE SKIP LOCKED)
            RETURNING e.event_id, e.event_type, e.thread_id, e.message_id, e.payload::text, e.created_at, e.attempts
            """);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("n", batchSize);
        var events = new List<PendingEvent>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            events.Add(new PendingEvent(r.GetGuid(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.GetFieldValue<DateTime>(5), r.GetInt32(6)));
        }
        return events;
    }

    public async Task MarkDeliveredAsync(Guid eventId)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE chat_integration_events SET delivered_at = now(), attempts = attempts + 1 WHERE event_id = @id");
        command.Parameters.AddWithValue("id", eventId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ScheduleRetryAsync(Guid eventId, TimeSpan delay)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE chat_integration_events SET attempts = attempts + 1, next_attempt = now() + @d WHERE event_id = @id");
        command.Parameters.AddWithValue("id", eventId);
        command.Parameters.AddWithValue("d", delay);
        await command.ExecuteNonQueryAsync();
    }
}
