using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// An S3-compatible bucket. A file that fits one part goes up in one PUT; a larger one as a multipart upload, one
/// part (<c>Attachments:S3:PartSizeBytes</c>, 5 MiB) in memory at a time. Payloads are signed whole rather than in
/// aws-chunked frames (servers such as s3rver store those frames as the object's bytes), and the client computes and
/// checks checksums only where S3 requires them (see <see cref="S3ClientFactory"/>).
/// </summary>
public sealed partial class S3BlobStore(IAmazonS3 s3, S3StoreOptions options, ILogger<S3BlobStore> logger) : IAttachmentBlobStore
{
    public string Name => AttachmentOptions.S3Store;

    public async Task WriteAsync(long id, Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.PartSizeBytes);
        try
        {
            var filled = await StreamFill.ReadAsync(content, buffer.AsMemory(0, options.PartSizeBytes), cancellationToken);
            if (filled < options.PartSizeBytes)
            {
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = options.Bucket,
                    Key = Key(id),
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false),
                    ContentType = "application/octet-stream",
                    UseChunkEncoding = false,
                }, cancellationToken);
                return;
            }
            await WriteInPartsAsync(id, content, buffer, filled, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task CopyToAsync(long id, long from, long length, Stream destination, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return;
        }
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = options.Bucket,
                Key = Key(id),
                ByteRange = new ByteRange(from, from + length - 1),
            }, cancellationToken);
            await response.ResponseStream.CopyToAsync(destination, 64 * 1024, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // The row outlived its object (a cleanup whose commit failed after the delete): gone, as it was meant to be.
            LogMissing(logger, id);
            throw ChatException.NotFound();
        }
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = Key(id) }, cancellationToken);

    private async Task WriteInPartsAsync(long id, Stream content, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        var key = Key(id);
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = options.Bucket,
            Key = key,
            ContentType = "application/octet-stream",
        }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (var number = 1; filled > 0; number++)
            {
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    PartSize = filled,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false),
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
                filled = await StreamFill.ReadAsync(content, buffer.AsMemory(0, options.PartSizeBytes), cancellationToken);
            }
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await AbortQuietlyAsync(key, upload.UploadId);
            throw;
        }
    }

    /// <summary>
    /// Frees the parts of an upload that failed. Best effort: some S3-compatible servers (s3rver) lack the call; a
    /// bucket lifecycle rule for incomplete multipart uploads catches whatever is left.
    /// </summary>
    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = uploadId });
        }
        catch (Exception e)
        {
            LogAbortFailed(logger, e, key);
        }
    }

    private string Key(long id) => options.KeyPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId}: its object is missing from the bucket")]
    private static partial void LogMissing(ILogger logger, long attachmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the multipart upload of {Key}; a bucket lifecycle rule should expire it")]
    private static partial void LogAbortFailed(ILogger logger, Exception exception, string key);
}
