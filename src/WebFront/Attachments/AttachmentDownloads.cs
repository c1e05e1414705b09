using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// Who may fetch an attachment (spec §8): while no message carries it, only its uploader; once attached, the thread's
/// participants (and the marketplace's accounts, as for any thread); once that message is deleted, nobody. Everyone
/// else gets the same 404 as for an id that never existed.
/// </summary>
public sealed class AttachmentDownloads(AttachmentRecords records, AttachmentStores stores, ParticipantCache participants)
{
    public async Task<(AttachmentRecord Record, IAttachmentBlobStore Store)> AuthorizeAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        AttachmentRecord? record;
        try
        {
            record = await records.FindAsync(id, cancellationToken);
        }
        catch (Exception e) when (StorageOutages.Is(e))
        {
            throw StorageOutages.Unavailable();
        }
        if (record is null || record.MessageDeleted || (record.MessageId is null && record.UploaderId != caller.Id))
        {
            throw ChatException.NotFound();
        }
        if (record.MessageId is not null)
        {
            await participants.EnsureAsync(caller, record.ThreadId);
        }
        var store = stores.Named(record.Store)
            ?? throw new ChatException(ChatErrorKind.Unavailable, $"This front cannot reach the '{record.Store}' attachment store.");
        return (record, store);
    }
}
