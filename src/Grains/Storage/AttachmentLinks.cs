using Npgsql;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// Attaching uploads to new messages inside the append statement (spec §8): one CTE beside the message INSERT, so a
/// message and its attachments commit together or not at all. The link table's constraints are the last word when
/// sends race: its primary key attaches an upload once, its foreign key to (id, thread, uploader) keeps an upload to
/// its own thread and uploader, and a row the cleanup job removed meanwhile fails the statement instead of dangling.
/// </summary>
internal static class AttachmentLinks
{
    /// <summary>A CTE to place after the <c>ins</c> CTE of the append (which must return <c>sender_id</c>).</summary>
    public const string Cte = """
        att AS (
            INSERT INTO chat_message_attachments (attachment_id, message_id, thread_id, uploader_id, position)
            SELECT a.attachment_id, ins.id, ins.thread_id, ins.sender_id, a.position
            FROM unnest(@att_thread_ids, @att_seqs, @att_ids, @att_positions) AS a(thread_id, seq, attachment_id, position)
            JOIN ins ON ins.thread_id = a.thread_id AND ins.seq = a.seq
            RETURNING 1)
        """;

    private const string AttachedTwice = "chat_message_attachments_pk";
    private const string NotAnUpload = "chat_message_attachments_upload";

    public static void AddParameters(NpgsqlParameterCollection p, IReadOnlyList<NewMessage> rows)
    {
        var links = rows.SelectMany(r => (r.Attachments ?? []).Select((a, i) => (r.ThreadId, r.Seq, a.Id, Position: (short)i))).ToArray();
        p.AddWithValue("att_thread_ids", links.Select(l => l.ThreadId).ToArray());
        p.AddWithValue("att_seqs", links.Select(l => l.Seq).ToArray());
        p.AddWithValue("att_ids", links.Select(l => l.Id).ToArray());
        p.AddWithValue("att_positions", links.Select(l => l.Position).ToArray());
    }

    /// <summary>The sender's 422 when the link table refused the append, or null when something else did.</summary>
    public static ChatException? Refusal(PostgresException e) => (e.SqlState, e.ConstraintName) switch
    {
        (PostgresErrorCodes.UniqueViolation, AttachedTwice) =>
            new ChatException(ChatErrorKind.Invalid, "an upload is already attached to another message", "attachments"),
        (PostgresErrorCodes.ForeignKeyViolation, NotAnUpload) =>
            new ChatException(ChatErrorKind.Invalid, "an upload is no longer available", "attachments"),
        _ => null,
    };
}
