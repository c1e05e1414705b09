namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// The stores this front can reach: PostgreSQL always, S3 when <c>Attachments:S3</c> is configured. New uploads go to
/// <see cref="Current"/> (<c>Attachments:Store</c>); each upload is read from the store its row names, so switching
/// stores never strands earlier files.
/// </summary>
public sealed class AttachmentStores(PostgresBlobStore postgres, S3BlobStore? s3, AttachmentOptions options)
{
    public IAttachmentBlobStore Current => options.UsesS3 ? s3! : postgres;

    /// <summary>The store named <paramref name="name"/>, or null when this front is not configured for it.</summary>
    public IAttachmentBlobStore? Named(string name) => name switch
    {
        AttachmentOptions.PostgresStore => postgres,
        AttachmentOptions.S3Store => s3,
        _ => null,
    };
}
