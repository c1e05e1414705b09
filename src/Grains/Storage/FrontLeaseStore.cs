using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>A live front's lease as the database last saw it renewed.</summary>
public sealed record FrontLeaseRow(string FrontId, DateTime LastHeartbeatAt);

/// <summary>
/// Fronts' leases (table <c>chat_presence_fronts</c>, migration 0006). Every time here is the database's clock
/// (<c>now()</c>), so silos and fronts with skewed clocks still agree on when a lease ran out.
/// </summary>
public sealed class FrontLeaseStore(NpgsqlDataSource dataSource)
{
    /// <summary>Renews the front's lease, registering it on its first heartbeat; false once it was declared dead.</summary>
    public Task<bool> HeartbeatAsync(string frontId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO chat_presence_fronts AS f (front_id) VALUES (@f)
            ON CONFLICT (front_id) DO UPDATE SET last_heartbeat_at = now() WHERE f.dead_at IS NULL
            RETURNING true
            """);
        command.Parameters.AddWithValue("f", frontId);
        return await command.ExecuteScalarAsync() is true;
    });

    /// <summary>Ends a lease now (a front stopping gracefully).</summary>
    public Task LeaveAsync(string frontId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("UPDATE chat_presence_fronts SET dead_at = now() WHERE front_id = @f AND dead_at IS NULL");
        command.Parameters.AddWithValue("f", frontId);
        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>Every front not yet declared dead, with the database's now (null when there is none).</summary>
    public Task<(DateTime? Now, List<FrontLeaseRow> Live)> ListLiveAsync() => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("SELECT front_id, last_heartbeat_at, now() FROM chat_presence_fronts WHERE dead_at IS NULL");
        var live = new List<FrontLeaseRow>();
        DateTime? now = null;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            live.Add(new FrontLeaseRow(reader.GetString(0), reader.GetFieldValue<DateTime>(1)));
            now = reader.GetFieldValue<DateTime>(2);
        }
        return (now, live);
    });

    /// <summary>
    /// Declares the front dead unless it heartbeated since <paramref name="lastHeartbeatAt"/> was read (or another
    /// silo was first); answers the time of death when this call declared it.
    /// </summary>
    public Task<DateTime?> DeclareDeadAsync(string frontId, DateTime lastHeartbeatAt) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE chat_presence_fronts SET dead_at = now()
            WHERE front_id = @f AND dead_at IS NULL AND last_heartbeat_at = @seen
            RETURNING dead_at
            """);
        command.Parameters.AddWithValue("f", frontId);
        command.Parameters.AddWithValue("seen", lastHeartbeatAt);
        return await command.ExecuteScalarAsync() is DateTime deadAt ? deadAt : (DateTime?)null;
    });

    /// <summary>
    /// Takes on telling the users of dead fronts that still have connection rows: each front is claimed by one silo
    /// at a time, and claimed again by anyone after <paramref name="reclaimAfter"/> if rows are still left.
    /// </summary>
    public Task<List<(string FrontId, DateTime DeadAt)>> ClaimDeadAsync(TimeSpan reclaimAfter) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE chat_presence_fronts f SET swept_at = now()
            WHERE dead_at IS NOT NULL AND (swept_at IS NULL OR swept_at < now() - @reclaim)
              AND EXISTS (SELECT 1 FROM chat_presence_connections c WHERE c.front_id = f.front_id)
            RETURNING front_id, dead_at
            """);
        command.Parameters.AddWithValue("reclaim", reclaimAfter);
        var claimed = new List<(string, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            claimed.Add((reader.GetString(0), reader.GetFieldValue<DateTime>(1)));
        }
        return claimed;
    });

    public Task<List<long>> UsersOnFrontAsync(string frontId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("SELECT user_id FROM chat_presence_connections WHERE front_id = @f");
        command.Parameters.AddWithValue("f", frontId);
        var users = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetInt64(0));
        }
        return users;
    });

    /// <summary>Forgets fronts dead for longer than <paramref name="retention"/> whose users were all told.</summary>
    public Task<int> PruneAsync(TimeSpan retention) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM chat_presence_fronts f
            WHERE dead_at < now() - @retention
              AND NOT EXISTS (SELECT 1 FROM chat_presence_connections c WHERE c.front_id = f.front_id)
            """);
        command.Parameters.AddWithValue("retention", retention);
        return await command.ExecuteNonQueryAsync();
    });
}
