namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// Where an attachment's bytes live, under its id. The metadata (thread, uploader, name, type, size, SHA-256) is
/// always in PostgreSQL (<see cref="AttachmentRecords"/>); a store only keeps and serves bytes.
/// </summary>
public interface IAttachmentBlobStore
{
    /// <summary>The name recorded with each upload (<c>chat_attachments.store</c>), so its bytes are found again.</summary>
    string Name { get; }

    /// <summary>
    /// Writes all of <paramref name="content"/> durably, reading it as it arrives (never all of it in memory). When
    /// <paramref name="content"/> throws (too large, client gone), what was written is discarded or left for
    /// <see cref="DeleteAsync"/>, and the exception propagates.
    /// </summary>
    Task WriteAsync(long id, Stream content, CancellationToken cancellationToken);

    /// <summary>Copies bytes [<paramref name="from"/>, <paramref name="from"/> + <paramref name="length"/>) into <paramref name="destination"/>.</summary>
    Task CopyToAsync(long id, long from, long length, Stream destination, CancellationToken cancellationToken);

    /// <summary>Removes the bytes; nothing happens when there are none.</summary>
    Task DeleteAsync(long id, CancellationToken cancellationToken);
}
