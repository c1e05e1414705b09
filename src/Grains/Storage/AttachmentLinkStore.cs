using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// What the thread grain reads about attachments: whether a send may attach the uploads it names, and which
/// attachments a page of messages carries (one query per page, only when messages are read).
/// </summary>
public sealed class AttachmentLinkStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The uploads <paramref name="ids"/> in the order named, when each is a completed upload of
    /// <paramref name="senderId"/> in <paramref name="threadId"/> that no message carries yet; otherwise a 422 naming
    /// the first that is not (another user's upload and an unknown id are refused alike, revealing nothing).
    /// </summary>
    public Task<IReadOnlyList<AttachmentInfo>> CheckAttachableAsync(long threadId, long senderId, IReadOnlyList<long> ids) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.file_name, a.content_type, a.size, l.message_id IS NOT NULL
            FROM chat_attachments a LEFT JOIN chat_message_attachments l ON l.attachment_id = a.id
            WHERE a.id = ANY(@ids) AND a.thread_id = @t AND a.uploader_id = @u AND a.completed_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("u", senderId);
        var found = new Dictionary<long, (AttachmentInfo Info, bool Attached)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found[reader.GetInt64(0)] = (new AttachmentInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)), reader.GetBoolean(4));
            }
        }
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var upload))
            {
                throw new ChatException(ChatErrorKind.Invalid, $"{id} is not a completed upload of yours in this thread", "attachments");
            }
            if (upload.Attached)
            {
                throw new ChatException(ChatErrorKind.Invalid, $"{id} is already attached to a message", "attachments");
            }
        }
        // A List, not a collection expression: the message travels through Orleans, which needs a type it knows.
        return (IReadOnlyList<AttachmentInfo>)ids.Select(id => found[id].Info).ToList();
    });

    /// <summary>Per message, its attachments in the order they were sent.</summary>
    public Task<Dictionary<long, List<AttachmentInfo>>> GetForMessagesAsync(long[] messageIds) => StorageErrors.Guard(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT l.message_id, a.id, a.file_name, a.content_type, a.size
            FROM chat_message_attachments l JOIN chat_attachments a ON a.id = l.attachment_id
            WHERE l.message_id = ANY(@ids) ORDER BY l.message_id, l.position
            """);
        command.Parameters.AddWithValue("ids", messageIds);
        var found = new Dictionary<long, List<AttachmentInfo>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var messageId = reader.GetInt64(0);
            if (!found.TryGetValue(messageId, out var list))
            {
                found[messageId] = list = [];
            }
            list.Add(new AttachmentInfo(reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        }
        return found;
    });
}
