namespace OrleansChat.Grains.Threads;

/// <summary>Edits, deletes (tombstones) and per-participant or thread-wide settings.</summary>
public sealed partial class ThreadGrain
{
    public async Task<MessageView> Edit(Caller caller, long messageId, string text, string? metadataJson, bool replaceMetadata)
    {
        await AuthorizeAsync(caller);
        return await Mutate(async () =>
        {
            var original = await FindAsync(messageId);
            if (original.Sender.Id != caller.Id)
            {
                throw new ChatException(ChatErrorKind.Forbidden, "Only the sender may edit a message.");
            }
            if (original.IsDeleted)
            {
                throw new ChatException(ChatErrorKind.Conflict, "A deleted message cannot be edited.");
            }
            var edited = await conversation.DecorateAsync(
                await messages.EditAsync(ThreadId, messageId, text, metadataJson, replaceMetadata, TruncatedNow())
                ?? throw new ChatException(ChatErrorKind.Conflict, "A deleted message cannot be edited."));
            Publish([new MessageEdited(ThreadId, edited, _read.IsRead(caller.Id, edited), _read.IsDelivered(caller.Id, edited))]);
            if (_last?.Id == edited.Id)
            {
                _last = edited;
                await UpdateInboxesAsync();
            }
            return ViewAs(caller.Id, edited);
        });
    }

    public async Task Delete(Caller caller, long messageId)
    {
        await AuthorizeAsync(caller);
        await Mutate(async () =>
        {
            var original = await FindAsync(messageId);
            if (original.Sender.Id != caller.Id && caller.Role != UserRole.Admin)
            {
                throw new ChatException(ChatErrorKind.Forbidden, "Only the sender or an admin may delete a message.");
            }
            var tombstone = await messages.TombstoneAsync(ThreadId, messageId);
            if (tombstone is null)
            {
                return false; // already a tombstone: deleting twice changes nothing
            }
            _read.Deleted(original);
            if (_last?.Id == tombstone.Id)
            {
                _last = tombstone;
            }
            Publish([new MessageDeleted(ThreadId, tombstone.Id, tombstone.Seq)]);
            await UpdateInboxesAsync();
            return true;
        });
    }

    public async Task<ThreadView> UpdateSettings(Caller caller, ThreadSettings settings)
    {
        var row = await AuthorizeAsync(caller);
        return await Mutate(async () =>
        {
            var isParticipant = row.IsParticipant(caller.Id);
            if (settings.IsActive is { } active && active != _row!.IsActive)
            {
                if (!await threads.TrySetActiveAsync(ThreadId, active))
                {
                    throw new ChatException(ChatErrorKind.Conflict, "Another active thread exists for these participants and job.", "is_active");
                }
                _row = _row with { IsActive = active };
                Publish([new ThreadChanged(ThreadId, Info())]);
            }
            if (isParticipant && (settings.IsMuted is not null || settings.IsArchived is not null))
            {
                var participant = _read.Of(caller.Id);
                participant.IsMuted = settings.IsMuted ?? participant.IsMuted;
                participant.IsArchived = settings.IsArchived ?? participant.IsArchived;
                await state.WriteStateAsync();
            }
            await UpdateInboxesAsync();
            return isParticipant ? ViewFor(caller.Id) : new ThreadView(Info(), caller.Id, 0, false, false, NextVersion());
        });
    }

    private async Task<ChatMessage> FindAsync(long messageId) => await FindOrNullAsync(messageId) ?? throw ChatException.NotFound();

    private async Task<ChatMessage?> FindOrNullAsync(long messageId)
    {
        var found = await messages.GetByIdsAsync(ThreadId, [messageId]);
        return found.Count == 1 ? found[0] : null;
    }

    private static DateTime TruncatedNow()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
