using Microsoft.AspNetCore.Http.Features;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// An upload (spec §8): a participant's multipart body streamed into the current store while it is counted, hashed
/// and checked, recorded in PostgreSQL before the 201. A refused or broken upload leaves nothing behind.
/// </summary>
public sealed partial class AttachmentUploads(
    AttachmentRecords records,
    AttachmentStores stores,
    ParticipantCache participants,
    [FromKeyedServices(AttachmentOptions.ClockKey)] TimeProvider clock,
    ILogger<AttachmentUploads> logger)
{
    /// <summary>The most a request body may carry: the file and its multipart framing.</summary>
    public const long MaxBodyBytes = AttachmentLimits.MaxFileBytes + MultipartFiles.MaxOverheadBytes;

    public async Task<UploadedAttachmentJson> UploadAsync(Caller caller, long threadId, HttpRequest request, CancellationToken cancellationToken)
    {
        await participants.EnsureAsync(caller, threadId);
        if (request.ContentLength > MaxBodyBytes)
        {
            // Refused before a byte of the body is read (a client that sent Expect: 100-continue sends none).
            throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge, $"The file is larger than {AttachmentLimits.MaxFileBytes} bytes.");
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = MaxBodyBytes;
        }
        var file = await MultipartFiles.ReadAsync(request, cancellationToken);
        var store = stores.Current;
        var id = await Guard(() => records.BeginAsync(threadId, caller.Id, file.FileName, store.Name, clock.GetUtcNow(), cancellationToken));
        try
        {
            using var inspector = new UploadInspector(file.Body, AttachmentLimits.MaxFileBytes);
            await store.WriteAsync(id, inspector, cancellationToken);
            if (await inspector.ReadAsync(new byte[1], cancellationToken) != 0)
            {
                throw new InvalidOperationException($"Store {store.Name} stopped before the end of the file.");
            }
            var contentType = inspector.ContentType(file.DeclaredType);
            var sha256 = inspector.Sha256Hex();
            await records.CompleteAsync(id, inspector.Size, sha256, contentType, clock.GetUtcNow(), cancellationToken);
            LogUploaded(logger, id, threadId, caller.Id, inspector.Size, contentType, store.Name);
            return new UploadedAttachmentJson(id, file.FileName, contentType, inspector.Size, sha256, AttachmentJson.UrlOf(id));
        }
        catch (Exception e)
        {
            await DiscardAsync(id, store);
            if (StorageOutages.Is(e))
            {
                throw StorageOutages.Unavailable();
            }
            if (e is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new RequestProblemException(StatusCodes.Status400BadRequest, $"The multipart body is not well-formed or ended early: {e.Message}");
            }
            throw;
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (StorageOutages.Is(e))
        {
            throw StorageOutages.Unavailable();
        }
    }

    /// <summary>Best effort: the row (PostgreSQL's chunks go with it) and any object; a row left behind is the cleanup job's.</summary>
    private async Task DiscardAsync(long id, IAttachmentBlobStore store)
    {
        try
        {
            await store.DeleteAsync(id, CancellationToken.None);
            await records.DiscardAsync(id, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogDiscardFailed(logger, e, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment {AttachmentId} uploaded to thread {ThreadId} by user {UserId}: {Size} bytes, {ContentType}, store {Store}")]
    private static partial void LogUploaded(ILogger logger, long attachmentId, long threadId, long userId, long size, string contentType, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attachment {AttachmentId}: discarding a failed upload failed; the cleanup job will remove it")]
    private static partial void LogDiscardFailed(ILogger logger, Exception exception, long attachmentId);
}
