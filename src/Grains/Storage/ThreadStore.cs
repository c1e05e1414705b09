using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>A thread's identity row: participants, job, creation time, and the thread-wide active flag.</summary>
public sealed record ThreadRow(long Id, long ClientId, long FreelancerId, long? JobId, DateTime CreatedAt, bool IsActive)
{
    public bool IsParticipant(long userId) => userId == ClientId || userId == FreelancerId;
}

/// <summary>
/// Thread rows in PostgreSQL. The partial unique index <c>chat_threads_one_active</c> is the last word on
/// "one active thread per (client, freelancer, job)", whatever happens to the grains.
/// </summary>
public sealed class ThreadStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, client_id, freelancer_id, job_id, created_at, is_active";
    private const string ActiveTriple = "client_id = @c AND freelancer_id = @f AND job_id IS NOT DISTINCT FROM @j AND is_active";

    public Task<ThreadRow?> GetAsync(long id) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM chat_threads WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAll(command)).SingleOrDefault();
    });

    public Task<long?> FindActiveAsync(long clientId, long freelancerId, long? jobId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand($"SELECT id FROM chat_threads WHERE {ActiveTriple}");
        AddTriple(command, clientId, freelancerId, jobId);
        return await command.ExecuteScalarAsync() is long id ? id : (long?)null;
    });

    /// <summary>Creates the active thread for the triple, or finds the one that exists.</summary>
    public Task<(long Id, bool Created)> GetOrCreateAsync(long clientId, long freelancerId, long? jobId) => StorageErrors.Guard(async () =>
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO chat_threads (client_id, freelancer_id, job_id, created_at)
            VALUES (@c, @f, @j, date_trunc('milliseconds', now()))
            ON CONFLICT DO NOTHING
            RETURNING id
            """);
        AddTriple(insert, clientId, freelancerId, jobId);
        if (await insert.ExecuteScalarAsync() is long created)
        {
            return (created, true);
        }
        await using var find = dataSource.CreateCommand($"SELECT id FROM chat_threads WHERE {ActiveTriple}");
        AddTriple(find, clientId, freelancerId, jobId);
        return ((long)(await find.ExecuteScalarAsync())!, false);
    });

    /// <summary>Sets the thread-wide active flag; false when re-activating would make a second active thread.</summary>
    public Task<bool> TrySetActiveAsync(long id, bool active) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("UPDATE chat_threads SET is_active = @a WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("a", active);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    });

    public Task<List<long>> ListIdsForUserAsync(long userId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id FROM chat_threads WHERE client_id = @u UNION SELECT id FROM chat_threads WHERE freelancer_id = @u");
        command.Parameters.AddWithValue("u", userId);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    });

    private static void AddTriple(NpgsqlCommand command, long clientId, long freelancerId, long? jobId)
    {
        command.Parameters.AddWithValue("c", clientId);
        command.Parameters.AddWithValue("f", freelancerId);
        command.Parameters.Add(new NpgsqlParameter("j", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)jobId ?? DBNull.Value });
    }

    private static async Task<List<ThreadRow>> ReadAll(NpgsqlCommand command)
    {
        var rows = new List<ThreadRow>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(new ThreadRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3),
                r.GetFieldValue<DateTime>(4), r.GetBoolean(5)));
        }
        return rows;
    }
}
