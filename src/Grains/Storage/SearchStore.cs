using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// Message search in PostgreSQL (migration 0003): the stored <c>search_vector</c> against a tsquery built from the
/// user's words, restricted by the query itself to the threads the caller takes part in, newest id first, keyset
/// paged by id. Tombstones never match.
/// </summary>
/// <remarks>
/// A participant's search walks each of their threads newest first on (thread_id, id) and stops at the page size
/// per thread, so its cost is bounded by the caller's own messages whatever the word's frequency; a plain join
/// lets the planner walk the whole log backwards hoping to meet the caller's threads, which is slow for anyone
/// with few threads. Service and admin search everything: the planner picks the GIN index (rare words) or the
/// id order (frequent ones). Statements are not prepared (<see cref="ChatDataSource.CreateForSearch"/>): each is
/// planned with its own words, a generic plan cannot know whether a word is rare.
/// </remarks>
public sealed class SearchStore([FromKeyedServices(ChatDataSource.SearchKey)] NpgsqlDataSource dataSource)
{
    // The query text is lower-cased exactly as the column is (see 0003_message_search.sql).
    private const string Match = """
        search_vector @@ to_tsquery('simple', lower(@q COLLATE "und-x-icu")) AND NOT is_deleted AND id < @before
        """;

    private static readonly string ParticipantSql = $"""
        SELECT m.* FROM (SELECT id FROM chat_threads WHERE client_id = @u AND (@t::bigint IS NULL OR id = @t)
                         UNION SELECT id FROM chat_threads WHERE freelancer_id = @u AND (@t::bigint IS NULL OR id = @t)) AS mine
        CROSS JOIN LATERAL (
            SELECT {MessageRowReader.Columns} FROM chat_messages
            WHERE thread_id = mine.id AND {Match}
            ORDER BY id DESC LIMIT @n) AS m
        ORDER BY m.id DESC LIMIT @n
        """;

    private static readonly string EverySql = $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE {Match} ORDER BY id DESC LIMIT @n";

    private static readonly string OneThreadSql = $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t AND {Match} ORDER BY id DESC LIMIT @n";

    /// <summary>
    /// Up to <paramref name="take"/> matches below <paramref name="beforeId"/>, id descending. A null
    /// <paramref name="participantId"/> searches every thread (service and admin accounts).
    /// </summary>
    public Task<List<ChatMessage>> SearchAsync(string tsQuery, long? participantId, long? threadId, long? beforeId, int take) => StorageErrors.Guard(async () =>
    {
        var sql = participantId is not null ? ParticipantSql : threadId is not null ? OneThreadSql : EverySql;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("q", tsQuery);
        command.Parameters.AddWithValue("before", beforeId ?? long.MaxValue);
        command.Parameters.AddWithValue("n", take);
        command.Parameters.AddWithValue("u", participantId ?? 0L);
        command.Parameters.Add(new NpgsqlParameter<long?>("t", threadId));
        return await MessageRowReader.ReadAll(command);
    });
}
