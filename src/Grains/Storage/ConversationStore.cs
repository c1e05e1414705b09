using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// Replies' quotes, reactions and edit history (spec §7) in their own tables. Read only when messages are read
/// (one query each for a whole page), never on the send path.
/// </summary>
public sealed class ConversationStore(NpgsqlDataSource dataSource, AttachmentLinkStore attachmentLinks)
{
    /// <summary>The messages with their reply quotes, reactions and attachments filled in (deleted messages show none).</summary>
    public async Task<List<ChatMessage>> DecorateAsync(IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0)
        {
            return [];
        }
        var parentIds = messages.Where(m => m.ReplyToId is not null).Select(m => m.ReplyToId!.Value).Distinct().ToArray();
        var quotes = parentIds.Length == 0 ? [] : await GetQuotesAsync(parentIds);
        var live = messages.Where(m => !m.IsDeleted).Select(m => m.Id).ToArray();
        var reactions = live.Length == 0 ? [] : await GetReactionsAsync(live);
        var attachments = live.Length == 0 ? [] : await attachmentLinks.GetForMessagesAsync(live);
        return [.. messages.Select(m => m with
        {
            ReplyTo = m.ReplyToId is { } parent ? quotes.GetValueOrDefault(parent) : null,
            // Null for none (the wire shows []), so a message without reactions equals itself after serialization.
            Reactions = m.IsDeleted ? null : reactions.GetValueOrDefault(m.Id),
            // A deleted message's files are no longer served (spec §8), so it lists none.
            Attachments = m.IsDeleted ? null : attachments.GetValueOrDefault(m.Id),
        })];
    }

    public async Task<ChatMessage> DecorateAsync(ChatMessage message) => (await DecorateAsync([message]))[0];

    public Task<Dictionary<long, ReplyQuote>> GetQuotesAsync(long[] ids) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, seq, sender_id, sender_username, message, is_deleted FROM chat_messages WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", ids);
        var found = new Dictionary<long, ReplyQuote>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var deleted = reader.GetBoolean(5);
            found[reader.GetInt64(0)] = new ReplyQuote(reader.GetInt64(0), reader.GetInt64(1),
                new UserRef(reader.GetInt64(2), reader.GetString(3)), deleted ? "" : ReplyQuote.Cut(reader.GetString(4)), deleted);
        }
        return found;
    });

    /// <summary>Per message, its emoji in order of first use, each with who reacted (in the order they did).</summary>
    public Task<Dictionary<long, List<ReactionSummary>>> GetReactionsAsync(long[] messageIds) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT message_id, emoji, array_agg(user_id ORDER BY id) FROM chat_reactions
            WHERE message_id = ANY(@ids) GROUP BY message_id, emoji ORDER BY message_id, min(id)
            """);
        command.Parameters.AddWithValue("ids", messageIds);
        var found = new Dictionary<long, List<ReactionSummary>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var messageId = reader.GetInt64(0);
            if (!found.TryGetValue(messageId, out var list))
            {
                found[messageId] = list = [];
            }
            list.Add(new ReactionSummary(reader.GetString(1), reader.GetFieldValue<long[]>(2)));
        }
        return found;
    });

    /// <summary>Adds or removes one user's reaction; false when nothing changed (idempotent).</summary>
    public Task<bool> SetReactionAsync(long messageId, string emoji, UserRef user, bool add) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(add
            ? "INSERT INTO chat_reactions (message_id, emoji, user_id, username) VALUES (@m, @e, @u, @n) ON CONFLICT DO NOTHING"
            : "DELETE FROM chat_reactions WHERE message_id = @m AND emoji = @e AND user_id = @u");
        command.Parameters.AddWithValue("m", messageId);
        command.Parameters.AddWithValue("e", emoji);
        command.Parameters.AddWithValue("u", user.Id);
        command.Parameters.AddWithValue("n", user.Username);
        return await command.ExecuteNonQueryAsync() > 0;
    });

    /// <summary>The versions an edit replaced, oldest first (the current text is the message itself).</summary>
    public Task<List<MessageVersion>> GetVersionsAsync(long messageId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, message, metadata::text, at FROM chat_message_versions WHERE message_id = @m ORDER BY version");
        command.Parameters.AddWithValue("m", messageId);
        var versions = new List<MessageVersion>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(new MessageVersion(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTime>(3)));
        }
        return versions;
    });
}
