using Npgsql;

namespace OrleansChat.SearchBench;

/// <summary>One kind of query: who asks, and a way to draw its text and thread at random.</summary>
internal sealed record QueryCase(string Name, Func<Random, (string Query, long? Participant, long? Thread)> Draw);

/// <summary>The typical queries, drawn from the seeded data's own words and threads.</summary>
internal sealed class QueryCases(string[] wordsByFrequency, (long Id, long Client, long Freelancer)[] threads)
{
    public static async Task<QueryCases> LoadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var words = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT word FROM ts_stat('SELECT search_vector FROM chat_messages WHERE id % 50 = 0') ORDER BY ndoc DESC, word", connection) { CommandTimeout = 0 })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                words.Add(reader.GetString(0));
            }
        }
        var threads = new List<(long, long, long)>();
        await using (var command = new NpgsqlCommand("SELECT id, client_id, freelancer_id FROM chat_threads", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                threads.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }
        return new QueryCases([.. words], [.. threads]);
    }

    public IReadOnlyList<QueryCase> All() =>
    [
        new("participant, 1 word", r => (Word(r), Typical(r), null)),
        new("participant, 2 words", r => (Mid(r) + " " + Word(r), Typical(r), null)),
        new("participant, 1 word, thread", r => WithThread(r, Typical(r), Word(r))),
        new("participant, 2 words, thread", r => WithThread(r, Typical(r), Mid(r) + " " + Word(r))),
        new("participant, 3-letter prefix", r => (Word(r)[..3], Typical(r), null)),
        new("participant, 1 frequent word", r => (Frequent(r), Typical(r), null)),
        new("heavy participant (200 threads), 1 word", r => (Word(r), BenchDatabase.HeavyUser, null)),
        new("heavy participant (200 threads), 2 words", r => (Mid(r) + " " + Word(r), BenchDatabase.HeavyUser, null)),
        new("heavy participant (200 threads), 1 frequent word", r => (Frequent(r), BenchDatabase.HeavyUser, null)),
        new("admin, 1 word", r => (Word(r), null, null)),
        new("admin, 2 words", r => (Mid(r) + " " + Word(r), null, null)),
        new("admin, 1 word, thread", r => (Word(r), null, threads[r.Next(threads.Length)].Id)),
        new("admin, 2 words, thread", r => (Mid(r) + " " + Word(r), null, threads[r.Next(threads.Length)].Id)),
        new("admin, 3-letter prefix", r => (Word(r)[..3], null, null)),
        new("admin, 1 frequent word", r => (Frequent(r), null, null)),
    ];

    /// <summary>A word of the vocabulary past its 20 most frequent ones (what people search for).</summary>
    private string Word(Random r) => wordsByFrequency[r.Next(Math.Min(20, wordsByFrequency.Length - 1), wordsByFrequency.Length)];

    private string Mid(Random r) => wordsByFrequency[r.Next(Math.Min(20, wordsByFrequency.Length - 1), Math.Min(500, wordsByFrequency.Length))];

    private string Frequent(Random r) => wordsByFrequency[r.Next(Math.Min(20, wordsByFrequency.Length))];

    /// <summary>A random ordinary participant: a client (about 5 threads) or a freelancer (about 2).</summary>
    private long Typical(Random r)
    {
        var thread = threads[r.Next(threads.Length)];
        return r.Next(2) == 0 && thread.Client != BenchDatabase.HeavyUser ? thread.Client : thread.Freelancer;
    }

    private (string, long?, long?) WithThread(Random r, long user, string query)
    {
        var own = threads.Where(t => t.Client == user || t.Freelancer == user).ToArray();
        return (query, user, own[r.Next(own.Length)].Id);
    }
}
