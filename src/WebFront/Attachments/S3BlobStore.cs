using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// An S3-compatible bucket. A file smaller than a part goes up in one PUT; a larger one as a multipart upload, one
/// part (<c>Attachments:S3:PartSizeBytes</c>, 5 MiB) at a time, spooled to a temporary file (see
/// <see cref="SpoolPartAsync"/>). Payloads are signed whole rather than in
/// aws-chunked frames (servers such as s3rver store those frames as the object's bytes), and the client computes and
/// checks checksums only where S3 requires them (see <see cref="S3ClientFactory"/>).
/// </summary>
public sealed partial class S3BlobStore(IAmazonS3 s3, S3StoreOptions options, ILogger<S3BlobStore> logger) : IAttachmentBlobStore
{
    private const int CopyBufferBytes = 64 * 1024;

    public string Name => AttachmentOptions.S3Store;

    public async Task WriteAsync(long id, Stream content, CancellationToken cancellationToken)
    {
        var first = await SpoolPartAsync(content, cancellationToken);
        if (first.Length == options.PartSizeBytes)
        {
            await WriteInPartsAsync(id, content, first, cancellationToken);
            return;
        }
        await using (first)
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = options.Bucket,
                Key = Key(id),
                InputStream = first,
                AutoCloseStream = false,
                ContentType = "application/octet-stream",
                UseChunkEncoding = false,
            }, cancellationToken);
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

    private async Task WriteInPartsAsync(long id, Stream content, FileStream part, CancellationToken cancellationToken)
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
            for (var number = 1; part.Length > 0; number++)
            {
                await using (part)
                {
                    var uploaded = await s3.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = options.Bucket,
                        Key = key,
                        UploadId = upload.UploadId,
                        PartNumber = number,
                        PartSize = part.Length,
                        InputStream = part,
                        UseChunkEncoding = false,
                    }, cancellationToken);
                    parts.Add(new PartETag(number, uploaded.ETag));
                }
                part = await SpoolPartAsync(content, cancellationToken);
            }
            await part.DisposeAsync();
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
            await part.DisposeAsync();
            await AbortQuietlyAsync(key, upload.UploadId);
            throw;
        }
    }

    /// <summary>
    /// The next part (up to <c>PartSizeBytes</c>) in a temporary file, read from the start; deleted when disposed.
    /// Parts wait on disk, not in memory: the SDK must know a part's length and sign its SHA-256 before sending it,
    /// and ten uploads at once would otherwise hold ten 5 MiB parts in the front's memory.
    /// </summary>
    private async Task<FileStream> SpoolPartAsync(Stream content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chat-attachment-part-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            for (long copied = 0; copied < options.PartSizeBytes;)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferBytes, options.PartSizeBytes - copied)), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
            }
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
