using Npgsql;

namespace OrleansChat.LoadTest.Setup;

/// <summary>
/// Stores a long history in one thread straight into chat_messages (the API would take an hour for 1,000,000),
/// in 100,000-row statements. The seeded thread is remembered in the output folder and reused by later runs.
/// </summary>
public static class HistorySeeder
{
    public sealed record Seeded(long ThreadId, long ClientId, string ClientUsername, long FreelancerId, string FreelancerUsername, long Messages);

    public static async Task<Seeded?> FindReusableAsync(string connectionString, string stateFile, long messages, CancellationToken ct)
    {
        if (!File.Exists(stateFile))
        {
            return null;
        }
        var seeded = JsonSerializer.Deserialize<Seeded>(await File.ReadAllTextAsync(stateFile, ct));
        if (seeded is null)
        {
            return null;
        }
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using var count = source.CreateCommand("SELECT count(*) FROM chat_messages WHERE thread_id = @t");
        count.Parameters.AddWithValue("t", seeded.ThreadId);
        var stored = (long)(await count.ExecuteScalarAsync(ct))!;
        return stored >= messages ? seeded with { Messages = stored } : null;
    }

    public static async Task SeedAsync(string connectionString, SimThread thread, long messages, Action<long> progress, CancellationToken ct)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        const int Chunk = 100_000;
        for (long from = 1; from <= messages; from += Chunk)
        {
            var to = Math.Min(messages, from + Chunk - 1);
            await using var insert = source.CreateCommand("""
                INSERT INTO chat_messages (thread_id, seq, sender_id, sender_username, sender_role, message, message_type, sent_at)
                SELECT @t, g,
                       CASE WHEN g % 2 = 0 THEN @c ELSE @f END,
                       CASE WHEN g % 2 = 0 THEN @cn ELSE @fn END,
                       CASE WHEN g % 2 = 0 THEN 0 ELSE 1 END,
                       'history message ' || g, 'text',
                       now() - make_interval(secs => (@n - g) / 100.0)
                FROM generate_series(@from, @to) AS g
                """);
            insert.CommandTimeout = 600;
            insert.Parameters.AddWithValue("t", thread.Id);
            insert.Parameters.AddWithValue("c", thread.Client.Id);
            insert.Parameters.AddWithValue("f", thread.Freelancer.Id);
            insert.Parameters.AddWithValue("cn", thread.Client.Username);
            insert.Parameters.AddWithValue("fn", thread.Freelancer.Username);
            insert.Parameters.AddWithValue("n", messages);
            insert.Parameters.AddWithValue("from", from);
            insert.Parameters.AddWithValue("to", to);
            await insert.ExecuteNonQueryAsync(ct);
            progress(to);
        }
        await using var analyze = source.CreateCommand("ANALYZE chat_messages");
        await analyze.ExecuteNonQueryAsync(ct);
    }
}
