using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>Pinned threads per user (spec §7), written by the user's grain, which also enforces the limit.</summary>
public sealed class PinStore(NpgsqlDataSource dataSource)
{
    public Task<Dictionary<long, DateTime>> ListAsync(long userId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("SELECT thread_id, pinned_at FROM chat_thread_pins WHERE user_id = @u");
        command.Parameters.AddWithValue("u", userId);
        var pins = new Dictionary<long, DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pins[reader.GetInt64(0)] = reader.GetFieldValue<DateTime>(1);
        }
        return pins;
    });

    public Task SetAsync(long userId, long threadId, DateTime? pinnedAt) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(pinnedAt is null
            ? "DELETE FROM chat_thread_pins WHERE user_id = @u AND thread_id = @t"
            : "INSERT INTO chat_thread_pins (user_id, thread_id, pinned_at) VALUES (@u, @t, @at) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("at", pinnedAt ?? DateTime.UnixEpoch);
        await command.ExecuteNonQueryAsync();
        return true;
    });
}
