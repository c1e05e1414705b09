using Npgsql;

namespace OrleansChat.Grains.Storage;

internal static class MessageRowReader
{
    public const string Columns =
        "id, thread_id, seq, sender_id, sender_username, sender_role, message, message_type, metadata::text, client_message_id, sent_at, edited_at, is_deleted, reply_to_id";

    public static ChatMessage Read(NpgsqlDataReader r) => new(
        Id: r.GetInt64(0),
        ThreadId: r.GetInt64(1),
        Seq: r.GetInt64(2),
        Sender: new UserRef(r.GetInt64(3), r.GetString(4)),
        Text: r.GetString(6),
        MessageType: r.GetString(7),
        MetadataJson: r.IsDBNull(8) ? null : r.GetString(8),
        SentAt: r.GetFieldValue<DateTime>(10),
        EditedAt: r.IsDBNull(11) ? null : r.GetFieldValue<DateTime>(11),
        IsDeleted: r.GetBoolean(12),
        ClientMessageId: r.IsDBNull(9) ? null : r.GetString(9),
        ReplyToId: r.IsDBNull(13) ? null : r.GetInt64(13));

    public static async Task<List<ChatMessage>> ReadAll(NpgsqlCommand command)
    {
        var list = new List<ChatMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }
        return list;
    }
}
