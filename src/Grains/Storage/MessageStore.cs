using Npgsql;
using NpgsqlTypes;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// The append-only message log in PostgreSQL. Appends take many messages (of one or several threads) in one
/// statement, together with their outbox events, so one commit carries a whole batch.
/// </summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    private const string AppendSql = """
        WITH ins AS (
            INSERT INTO chat_messages (thread_id, seq, sender_id, sender_username, sender_role, message, message_type,
                                       metadata, client_message_id, sent_at, reply_to_id)
            SELECT t.thread_id, t.seq, t.sender_id, t.sender_username, t.sender_role, t.message, t.message_type,
                   t.metadata::jsonb, t.client_message_id, t.sent_at, t.reply_to_id
            FROM unnest(@thread_ids, @seqs, @sender_ids, @sender_usernames, @sender_roles, @messages, @message_types,
                        @metadata, @client_message_ids, @sent_ats, @reply_to_ids)
                 AS t(thread_id, seq, sender_id, sender_username, sender_role, message, message_type,
                      metadata, client_message_id, sent_at, reply_to_id)
            RETURNING id, thread_id, seq, sender_id),
        ev AS (
            INSERT INTO chat_integration_events (event_id, event_type, thread_id, message_id, payload, created_at)
            SELECT e.event_id, e.event_type, ins.thread_id, ins.id, e.payload::jsonb, e.created_at
            FROM unnest(@ev_thread_ids, @ev_seqs, @ev_ids, @ev_types, @ev_payloads, @ev_created_ats)
                 AS e(thread_id, seq, event_id, event_type, payload, created_at)
            JOIN ins ON ins.thread_id = e.thread_id AND ins.seq = e.seq
            RETURNING 1),
        """ + AttachmentLinks.Cte + """

        SELECT thread_id, seq, id FROM ins
        """;

    /// <summary>
    /// Moves a live message's current text and metadata into the history as its next version (spec §7): edits and
    /// deletes run it in the same statement as their UPDATE, which must read <c>old</c> (<c>FROM old</c>): PostgreSQL runs
    /// a CTE nobody reads after the main statement, when the row it would lock is already the statement's own update.
    /// </summary>
    private const string KeepCurrentVersion = """
        WITH old AS (
            SELECT id AS old_id, message AS old_message, metadata AS old_metadata, coalesce(edited_at, sent_at) AS old_at
            FROM chat_messages WHERE thread_id = @t AND id = @id AND NOT is_deleted FOR UPDATE),
        kept AS (
            INSERT INTO chat_message_versions (message_id, version, message, metadata, at)
            SELECT old_id, coalesce((SELECT max(version) FROM chat_message_versions v WHERE v.message_id = old_id), 0) + 1,
                   old_message, old_metadata, old_at
            FROM old)
        """;

    /// <summary>
    /// Appends the rows in one statement (one transaction); throws <see cref="AppendConflictException"/> on a taken seq
    /// or client id, and a <see cref="ChatException"/> (422 or 503, see <see cref="StorageErrors.Refused"/>) when
    /// PostgreSQL refuses a row for anything else.
    /// </summary>
    public async Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> rows)
    {
        if (BindableText.FirstProblem(rows) is { } field)
        {
            throw new ChatException(ChatErrorKind.Invalid, "cannot be stored (PostgreSQL refuses a NUL character in text: SQLSTATE 22021)", field);
        }
        await using var command = dataSource.CreateCommand(AppendSql);
        var p = command.Parameters;
        p.AddWithValue("thread_ids", rows.Select(r => r.ThreadId).ToArray());
        p.AddWithValue("seqs", rows.Select(r => r.Seq).ToArray());
        p.AddWithValue("sender_ids", rows.Select(r => r.Sender.Id).ToArray());
        p.AddWithValue("sender_usernames", rows.Select(r => r.Sender.Username).ToArray());
        p.AddWithValue("sender_roles", rows.Select(r => (short)r.Sender.Role).ToArray());
        p.AddWithValue("messages", rows.Select(r => r.Text).ToArray());
        p.AddWithValue("message_types", rows.Select(r => r.MessageType).ToArray());
        p.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.MetadataJson ?? DBNull.Value).ToArray() });
        p.Add(new NpgsqlParameter("client_message_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.ClientMessageId ?? DBNull.Value).ToArray() });
        p.AddWithValue("sent_ats", rows.Select(r => r.SentAt).ToArray());
        p.Add(new NpgsqlParameter("reply_to_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => (object?)r.ReplyTo?.Id ?? DBNull.Value).ToArray() });
        var events = rows.Where(r => r.Event is not null).ToArray();
        p.AddWithValue("ev_thread_ids", events.Select(r => r.ThreadId).ToArray());
        p.AddWithValue("ev_seqs", events.Select(r => r.Seq).ToArray());
        p.AddWithValue("ev_ids", events.Select(r => r.Event!.EventId).ToArray());
        p.AddWithValue("ev_types", events.Select(r => r.Event!.EventType).ToArray());
        p.AddWithValue("ev_payloads", events.Select(r => r.Event!.PayloadJson).ToArray());
        p.AddWithValue("ev_created_ats", events.Select(r => r.SentAt).ToArray());
        AttachmentLinks.AddParameters(p, rows);
        try
        {
            var result = new List<AppendedMessage>(rows.Count);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result.Add(new AppendedMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
            return result;
        }
        catch (PostgresException e) when (AttachmentLinks.Refusal(e) is { } refusal)
        {
            throw refusal; // an upload attached twice, or gone: that sender's 422 (the thread grain isolates the send)
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var conflict = e.ConstraintName == "chat_messages_client_message_id" ? AppendConflict.ClientMessageId : AppendConflict.Seq;
            throw new AppendConflictException(conflict, e);
        }
        catch (PostgresException e) when (!StorageErrors.IsTransient(e))
        {
            // Bind-time refusals never get here (BindableText); should another kind ever leave a connection out of
            // step (npgsql/npgsql#6391), no connection that saw a refusal is used again: in use ones are closed when
            // returned, idle ones now.
            dataSource.Clear();
            throw StorageErrors.Refused(e);
        }
    }

    /// <summary>The newest message of a thread, or null for an empty thread.</summary>
    public Task<ChatMessage?> GetLastAsync(long threadId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t ORDER BY seq DESC LIMIT 1");
        command.Parameters.AddWithValue("t", threadId);
        return (await MessageRowReader.ReadAll(command)).SingleOrDefault();
    });

    /// <summary>Up to <paramref name="take"/> messages in ascending seq: newest, just below <paramref name="before"/>, or just above <paramref name="after"/>.</summary>
    public Task<List<ChatMessage>> GetPageAsync(long threadId, long? before, long? after, int take) => StorageErrors.Guard(async () =>
    {
        var sql = after is not null
            ? $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t AND seq > @s ORDER BY seq LIMIT @n"
            : $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t AND seq < @s ORDER BY seq DESC LIMIT @n";
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("s", after ?? before ?? long.MaxValue);
        command.Parameters.AddWithValue("n", take);
        var rows = await MessageRowReader.ReadAll(command);
        if (after is null)
        {
            rows.Reverse();
        }
        return rows;
    });

    public Task<List<ChatMessage>> GetByIdsAsync(long threadId, long[] ids) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {MessageRowReader.Columns} FROM chat_messages WHERE thread_id = @t AND id = ANY(@ids) ORDER BY seq");
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("ids", ids);
        return await MessageRowReader.ReadAll(command);
    });

    /// <summary>Messages already stored under these (sender, client_message_id) pairs.</summary>
    public Task<List<ChatMessage>> FindByClientIdsAsync(long threadId, long[] senderIds, string[] clientMessageIds) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {MessageRowReader.Columns} FROM chat_messages
            WHERE thread_id = @t AND (sender_id, client_message_id) IN (SELECT * FROM unnest(@s, @c))
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("s", senderIds);
        command.Parameters.AddWithValue("c", clientMessageIds);
        return await MessageRowReader.ReadAll(command);
    });

    /// <summary>
    /// Edits a live message and, in the same statement, keeps the version it replaces (spec §7): version n+1 of the
    /// history table is the text as it stood, at its send or last edit time.
    /// </summary>
    public Task<ChatMessage?> EditAsync(long threadId, long id, string text, string? metadataJson, bool replaceMetadata, DateTime editedAt) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand($"""
            {KeepCurrentVersion}
            UPDATE chat_messages m
            SET message = @m, metadata = CASE WHEN @replace THEN @meta::jsonb ELSE m.metadata END, edited_at = @at
            FROM old WHERE m.id = old.old_id
            RETURNING {MessageRowReader.Columns}
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("m", text);
        command.Parameters.AddWithValue("replace", replaceMetadata);
        command.Parameters.Add(new NpgsqlParameter("meta", NpgsqlDbType.Text) { Value = (object?)metadataJson ?? DBNull.Value });
        command.Parameters.AddWithValue("at", editedAt);
        return (await MessageRowReader.ReadAll(command)).SingleOrDefault();
    });

    /// <summary>Turns a message into a tombstone; null when it was already one (or does not exist).</summary>
    public Task<ChatMessage?> TombstoneAsync(long threadId, long id) => StorageErrors.Guard(async () =>
    {
        // The history keeps the last text (spec §7): it moves to the versions table in the same statement.
        await using var command = dataSource.CreateCommand($"""
            {KeepCurrentVersion}
            UPDATE chat_messages m SET message = '', metadata = NULL, is_deleted = true
            FROM old WHERE m.id = old.old_id
            RETURNING {MessageRowReader.Columns}
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("id", id);
        return (await MessageRowReader.ReadAll(command)).SingleOrDefault();
    });

    /// <summary>Unread for <paramref name="userId"/>: others' live messages above the cursor and not read one by one.</summary>
    public Task<int> CountUnreadAsync(long threadId, long userId, long cursor, long[] readIds) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*)::int FROM chat_messages
            WHERE thread_id = @t AND seq > @c AND sender_id <> @u AND NOT is_deleted AND NOT (id = ANY(@r))
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("c", cursor);
        command.Parameters.AddWithValue("r", readIds);
        return (int)(await command.ExecuteScalarAsync())!;
    });

    /// <summary>
    /// The messages that become read when <paramref name="userId"/>'s cursor moves from <paramref name="fromSeq"/>
    /// to <paramref name="toSeq"/>: their count, and their ids cut at <paramref name="maxIds"/>.
    /// </summary>
    public Task<(int Count, long[] Ids)> NewlyReadAsync(long threadId, long userId, long fromSeq, long toSeq, long[] alreadyRead, int maxIds) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*)::int, coalesce((array_agg(id ORDER BY seq))[1:@max], '{}')
            FROM chat_messages
            WHERE thread_id = @t AND seq > @from AND seq <= @to AND sender_id <> @u AND NOT is_deleted AND NOT (id = ANY(@r))
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("u", userId);
        command.Parameters.AddWithValue("from", fromSeq);
        command.Parameters.AddWithValue("to", toSeq);
        command.Parameters.AddWithValue("r", alreadyRead);
        command.Parameters.AddWithValue("max", maxIds);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetFieldValue<long[]>(1));
    });

    public Task<long?> FindThreadOfAsync(long messageId) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("SELECT thread_id FROM chat_messages WHERE id = @id");
        command.Parameters.AddWithValue("id", messageId);
        return await command.ExecuteScalarAsync() is long threadId ? threadId : (long?)null;
    });
}
