using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>A user's connection count on one front, and whether (and when) that front was declared dead.</summary>
public sealed record PresenceConnectionRow(string FrontId, int Connections, long Version, DateTime? FrontDeadAt);

/// <summary>A user's presence row: the username events carry, when they were last seen, what was last announced.</summary>
public sealed record PresenceUserRow(string? Username, DateTime? LastSeenAt, bool AnnouncedOnline);

/// <summary>
/// Presence rows (migration 0006): written by a user's presence grain, read by it on activation and by the
/// presence reader (thread lists ask for many users at once).
/// </summary>
public sealed class PresenceStore(NpgsqlDataSource dataSource)
{
    /// <summary>"Front f is alive": registered and not declared dead.</summary>
    private const string LiveFront = "f.front_id = c.front_id AND f.dead_at IS NULL";

    public Task<(List<PresenceConnectionRow> Connections, PresenceUserRow? User)> LoadAsync(long userId) => StorageErrors.Guard(async () =>
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("""
            SELECT c.front_id, c.connections, c.version, CASE WHEN f.front_id IS NULL THEN now() ELSE f.dead_at END
            FROM chat_presence_connections c LEFT JOIN chat_presence_fronts f ON f.front_id = c.front_id
            WHERE c.user_id = @u
            """, ("u", userId)));
        batch.BatchCommands.Add(Command("SELECT username, last_seen_at, announced_online FROM chat_presence_users WHERE user_id = @u", ("u", userId)));
        await using var reader = await batch.ExecuteReaderAsync();
        var connections = new List<PresenceConnectionRow>();
        while (await reader.ReadAsync())
        {
            // A front without a row (pruned long after its death) reads as dead now: its connections are closed too.
            var deadAt = reader.IsDBNull(3) ? (DateTime?)null : reader.GetFieldValue<DateTime>(3);
            connections.Add(new PresenceConnectionRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), deadAt));
        }
        await reader.NextResultAsync();
        var user = await reader.ReadAsync()
            ? new PresenceUserRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTime>(1), reader.GetBoolean(2))
            : null;
        return (connections, user);
    });

    /// <summary>
    /// Stores the user's count on a front (registering the front if this is its first word); false, storing nothing,
    /// when that front's lease has ended.
    /// </summary>
    public Task<bool> SetConnectionsAsync(long userId, string frontId, int connections, long version, string username) => StorageErrors.Guard(async () =>
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("INSERT INTO chat_presence_fronts (front_id) VALUES (@f) ON CONFLICT DO NOTHING", ("f", frontId)));
        batch.BatchCommands.Add(Command("""
            INSERT INTO chat_presence_users (user_id, username) VALUES (@u, @name)
            ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username
            WHERE chat_presence_users.username IS DISTINCT FROM EXCLUDED.username
            """, ("u", userId), ("name", username)));
        batch.BatchCommands.Add(Command("""
            INSERT INTO chat_presence_connections (user_id, front_id, connections, version)
            SELECT @u, @f, @n, @v WHERE EXISTS (SELECT 1 FROM chat_presence_fronts WHERE front_id = @f AND dead_at IS NULL)
            ON CONFLICT (user_id, front_id) DO UPDATE SET connections = EXCLUDED.connections, version = EXCLUDED.version
            RETURNING 1
            """, ("u", userId), ("f", frontId), ("n", connections), ("v", version)));
        await using var reader = await batch.ExecuteReaderAsync();
        return await NextRowAsync(reader);
    });

    /// <summary>
    /// Removes the user's row for a front; when that was their last connection, sets <c>last_seen_at</c> to
    /// <paramref name="seenAt"/> (or the database's now) and answers it.
    /// </summary>
    public Task<DateTime?> RemoveConnectionsAsync(long userId, string frontId, bool wentOffline, DateTime? seenAt) => StorageErrors.Guard(async () =>
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("DELETE FROM chat_presence_connections WHERE user_id = @u AND front_id = @f", ("u", userId), ("f", frontId)));
        if (!wentOffline)
        {
            await batch.ExecuteNonQueryAsync();
            return (DateTime?)null;
        }
        var at = new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)seenAt ?? DBNull.Value };
        var upsert = Command("""
            INSERT INTO chat_presence_users (user_id, last_seen_at) VALUES (@u, COALESCE(@at, now()))
            ON CONFLICT (user_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
            RETURNING last_seen_at
            """, ("u", userId));
        upsert.Parameters.Add(at);
        batch.BatchCommands.Add(upsert);
        await using var reader = await batch.ExecuteReaderAsync();
        return await NextRowAsync(reader) ? reader.GetFieldValue<DateTime>(0) : (DateTime?)null;
    });

    /// <summary>Records what the last <c>presence</c> event said, so a new activation knows whether one is owed.</summary>
    public Task SetAnnouncedAsync(long userId, bool online) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO chat_presence_users (user_id, announced_online) VALUES (@u, @o)
            ON CONFLICT (user_id) DO UPDATE SET announced_online = EXCLUDED.announced_online
            """);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("o", online);
        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>The other participants of the user's threads who are online now: who a presence event goes to.</summary>
    public Task<List<long>> OnlineContactsAsync(long userId) => StorageErrors.Guard(() => ReadIdsAsync($"""
        SELECT t.other FROM (
            SELECT freelancer_id AS other FROM chat_threads WHERE client_id = @u
            UNION SELECT client_id FROM chat_threads WHERE freelancer_id = @u) t
        WHERE EXISTS (SELECT 1 FROM chat_presence_connections c JOIN chat_presence_fronts f ON {LiveFront} WHERE c.user_id = t.other)
        """, ("u", userId)));

    /// <summary>Which of <paramref name="userIds"/> have a connection on a live front.</summary>
    public Task<List<long>> OnlineAmongAsync(IReadOnlyCollection<long> userIds) => StorageErrors.Guard(() => ReadIdsAsync($"""
        SELECT DISTINCT c.user_id FROM chat_presence_connections c JOIN chat_presence_fronts f ON {LiveFront}
        WHERE c.user_id = ANY(@ids)
        """, ("ids", userIds.ToArray())));

    /// <summary>Whether the two users are the client and the freelancer of any thread (active or not).</summary>
    public Task<bool> SharesThreadAsync(long a, long b) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM chat_threads WHERE client_id = @a AND freelancer_id = @b)
                OR EXISTS (SELECT 1 FROM chat_threads WHERE client_id = @b AND freelancer_id = @a)
            """);
        command.Parameters.AddWithValue("a", a);
        command.Parameters.AddWithValue("b", b);
        return (bool)(await command.ExecuteScalarAsync())!;
    });

    private async Task<List<long>> ReadIdsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Moves to the first row of any later statement's result (statements before it return none).</summary>
    private static async Task<bool> NextRowAsync(NpgsqlDataReader reader)
    {
        do
        {
            if (await reader.ReadAsync())
            {
                return true;
            }
        }
        while (await reader.NextResultAsync());
        return false;
    }

    internal static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
