using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// Message search in PostgreSQL (migration 0003): the stored <c>search_vector</c> against a tsquery built from the
/// user's words, restricted by the database to the threads the caller takes part in, newest id first, keyset
/// paged by id. Tombstones never match.
/// </summary>
/// <remarks>
/// How a participant's search reads depends on how many threads they have (docs/decisions.md, "Search"): up to
/// <see cref="WalkMaxThreads"/>, it walks each thread newest first on (thread_id, id) and stops at the page size per
/// thread, so the cost is bounded by the caller's own messages whatever the word; with more, the thread ids go in
/// as an array the planner can see, and it intersects the GIN index with them (rare words) or walks ids backwards
/// (frequent ones). Service and admin search everything. Statements are not prepared
/// (<see cref="ChatDataSource.CreateForSearch"/>): each is planned with its own words and threads.
/// </remarks>
public sealed class SearchStore([FromKeyedServices(ChatDataSource.SearchKey)] NpgsqlDataSource dataSource)
{
    public const int WalkMaxThreads = 32;

    // The query text is lower-cased exactly as the column is (see 0003_message_search.sql).
    private const string Match = """
        search_vector @@ to_tsquery('simple', lower(@q COLLATE "und-x-icu")) AND NOT is_deleted AND id < @before
        """;

    private const string CallersThreadsSql = """
        SELECT coalesce(array_agg(id), '{}') FROM chat_threads
        WHERE (client_id = @u OR freelancer_id = @u) AND (@t::bigint IS NULL OR id = @t)
        """;

    private static readonly string WalkSql = $"""
        SELECT m.* FROM unnest(@threads) AS mine(id)
        CROSS JOIN LATERAL (
            SELECT {MessageRowReader.Columns} FROM chat_messages
            WHERE thread_id = mine.id AND {Match}
            ORDER BY id DESC LIMIT @n) AS m
        ORDER BY m.id DESC LIMIT @n
        """;

    private static readonly string InThreadsSql = $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = ANY(@threads) AND {Match} ORDER BY id DESC LIMIT @n";

    private static readonly string EverySql = $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE {Match} ORDER BY id DESC LIMIT @n";

    private static readonly string OneThreadSql = $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t AND {Match} ORDER BY id DESC LIMIT @n";

    /// <summary>
    /// Up to <paramref name="take"/> matches below <paramref name="beforeId"/>, id descending. A null
    /// <paramref name="participantId"/> searches every thread (service and admin accounts).
    /// </summary>
    public Task<List<ChatMessage>> SearchAsync(string tsQuery, long? participantId, long? threadId, long? beforeId, int take) => StorageErrors.Guard(async () =>
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        string sql;
        long[] threads = [];
        if (participantId is null)
        {
            sql = threadId is null ? EverySql : OneThreadSql;
        }
        else
        {
            threads = await CallersThreadsAsync(connection, participantId.Value, threadId);
            if (threads.Length == 0)
            {
                return [];
            }
            sql = threads.Length <= WalkMaxThreads ? WalkSql : InThreadsSql;
        }
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("q", tsQuery);
        command.Parameters.AddWithValue("before", beforeId ?? long.MaxValue);
        command.Parameters.AddWithValue("n", take);
        command.Parameters.AddWithValue("threads", threads);
        command.Parameters.Add(new NpgsqlParameter<long?>("t", threadId));
        return await MessageRowReader.ReadAll(command);
    });

    /// <summary>The threads <paramref name="userId"/> takes part in (narrowed to <paramref name="threadId"/> when given).</summary>
    private static async Task<long[]> CallersThreadsAsync(NpgsqlConnection connection, long userId, long? threadId)
    {
        await using var command = new NpgsqlCommand(CallersThreadsSql, connection);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.Add(new NpgsqlParameter<long?>("t", threadId));
        return (long[])(await command.ExecuteScalarAsync())!;
    }
}
