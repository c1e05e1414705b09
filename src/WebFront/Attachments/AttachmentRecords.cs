using Npgsql;

namespace OrleansChat.WebFront.Attachments;

/// <summary>An upload's metadata, with the message that carries it (null: none yet) and whether that was deleted.</summary>
public sealed record AttachmentRecord(
    long Id, long ThreadId, long UploaderId, string FileName, string ContentType, long Size, string Sha256, string Store,
    long? MessageId, bool MessageDeleted);

/// <summary>
/// The front's side of <c>chat_attachments</c>: an upload's row is inserted before its bytes are written and completed
/// after they are durable, so a crashed upload leaves a row the cleanup job finds (never bytes nobody knows of).
/// </summary>
public sealed class AttachmentRecords([FromKeyedServices(AttachmentServices.DataSourceKey)] NpgsqlDataSource dataSource)
{
    public async Task<long> BeginAsync(long threadId, long uploaderId, string fileName, string store, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO chat_attachments (thread_id, uploader_id, file_name, content_type, store, created_at)
            VALUES (@t, @u, @name, 'application/octet-stream', @store, @at) RETURNING id
            """);
        command.Parameters.AddWithValue("t", threadId);
        command.Parameters.AddWithValue("u", uploaderId);
        command.Parameters.AddWithValue("name", fileName);
        command.Parameters.AddWithValue("store", store);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Records size, hash and type: from here on the upload can be attached and downloaded.</summary>
    public async Task CompleteAsync(long id, long size, string sha256, string contentType, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE chat_attachments SET size = @size, sha256 = @sha, content_type = @type, completed_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("size", size);
        command.Parameters.AddWithValue("sha", sha256);
        command.Parameters.AddWithValue("type", contentType);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets an upload that never completed (its chunks go with the row).</summary>
    public async Task DiscardAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM chat_attachments WHERE id = @id AND completed_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A completed upload, or null.</summary>
    public async Task<AttachmentRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.thread_id, a.uploader_id, a.file_name, a.content_type, a.size, a.sha256, a.store,
                   l.message_id, coalesce(m.is_deleted, false)
            FROM chat_attachments a
            LEFT JOIN chat_message_attachments l ON l.attachment_id = a.id
            LEFT JOIN chat_messages m ON m.id = l.message_id
            WHERE a.id = @id AND a.completed_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new AttachmentRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt64(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.GetBoolean(9));
    }
}
