using System.Buffers;
using Npgsql;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// The default store: the bytes in <c>chat_attachment_chunks</c>, 256 KiB per row. Each chunk is one INSERT, so an
/// upload holds one chunk in memory and a pooled connection only while a chunk is written, however slow its client;
/// the upload's row (inserted first) owns the chunks, and deleting the row deletes them (ON DELETE CASCADE).
/// </summary>
public sealed class PostgresBlobStore([FromKeyedServices(AttachmentServices.DataSourceKey)] NpgsqlDataSource dataSource) : IAttachmentBlobStore
{
    /// <summary>Part of the table's format (chunk n holds bytes [n·C, (n+1)·C)): never change it for existing data.</summary>
    public const int ChunkBytes = 256 * 1024;

    public string Name => AttachmentOptions.PostgresStore;

    public async Task WriteAsync(long id, Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var chunk = 0; ; chunk++)
            {
                var filled = await StreamFill.ReadAsync(content, buffer.AsMemory(0, ChunkBytes), cancellationToken);
                if (filled == 0 && chunk > 0)
                {
                    return;
                }
                await using var command = dataSource.CreateCommand("INSERT INTO chat_attachment_chunks (attachment_id, chunk, data) VALUES (@id, @n, @data)");
                command.Parameters.AddWithValue("id", id);
                command.Parameters.AddWithValue("n", chunk);
                command.Parameters.AddWithValue("data", new ReadOnlyMemory<byte>(buffer, 0, filled));
                await command.ExecuteNonQueryAsync(cancellationToken);
                if (filled < ChunkBytes)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task CopyToAsync(long id, long from, long length, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var end = from + length;
            for (var position = from; position < end;)
            {
                // One chunk at a time, and the connection goes back to the pool before the bytes go to a (maybe slow) client.
                var chunk = position / ChunkBytes;
                var skip = (int)(position - (chunk * ChunkBytes));
                var read = await ReadChunkAsync(id, chunk, buffer, cancellationToken);
                var take = (int)Math.Min(read - skip, end - position);
                if (take <= 0)
                {
                    throw new InvalidDataException($"Attachment {id} has fewer bytes than its recorded size.");
                }
                await destination.WriteAsync(buffer.AsMemory(skip, take), cancellationToken);
                position += take;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The chunks go with the upload's row (ON DELETE CASCADE); this removes any left without one.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM chat_attachment_chunks WHERE attachment_id = @id");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ReadChunkAsync(long id, long chunk, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT data FROM chat_attachment_chunks WHERE attachment_id = @id AND chunk = @n");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("n", (int)chunk);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return 0;
        }
        return (int)reader.GetBytes(0, 0, buffer, 0, ChunkBytes);
    }
}
