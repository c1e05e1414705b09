namespace OrleansChat.Grains.Threads;

/// <summary>Reactions, edit history and delivery receipts (spec §7), each under the mutation lock.</summary>
public sealed partial class ThreadGrain
{
    /// <summary>The most distinct emoji on one message.</summary>
    public const int MaxEmojiPerMessage = 20;

    /// <summary>The most reactions one user puts on one message.</summary>
    public const int MaxReactionsPerUser = 10;

    public async Task<IReadOnlyList<ReactionSummary>> React(ReactionCommand command)
    {
        await AuthorizeAsync(command.Caller);
        return await Mutate(async () =>
        {
            var message = await FindAsync(command.MessageId);
            if (message.IsDeleted)
            {
                return command.Add
                    ? throw new ChatException(ChatErrorKind.Conflict, "A deleted message cannot be reacted to.")
                    : (IReadOnlyList<ReactionSummary>)[];
            }
            var userId = command.Caller.Id;
            var current = (await conversation.GetReactionsAsync([message.Id])).GetValueOrDefault(message.Id) ?? [];
            var existing = current.FirstOrDefault(r => r.Emoji == command.Emoji);
            var has = existing?.UserIds.Contains(userId) == true;
            if (command.Add == has)
            {
                return current; // idempotent: nothing changes, nothing is published
            }
            if (command.Add && existing is null && current.Count >= MaxEmojiPerMessage)
            {
                throw new ChatException(ChatErrorKind.Invalid, $"emoji: at most {MaxEmojiPerMessage} different emoji on one message", "emoji");
            }
            if (command.Add && current.Count(r => r.UserIds.Contains(userId)) >= MaxReactionsPerUser)
            {
                throw new ChatException(ChatErrorKind.Invalid, $"emoji: at most {MaxReactionsPerUser} reactions per user on one message", "emoji");
            }
            await conversation.SetReactionAsync(message.Id, command.Emoji, command.Caller.ToRef(), command.Add);
            var after = (await conversation.GetReactionsAsync([message.Id])).GetValueOrDefault(message.Id) ?? [];
            var count = after.FirstOrDefault(r => r.Emoji == command.Emoji)?.Count ?? 0;
            Publish([new ReactionUpdated(ThreadId, message.Id, message.Seq, command.Emoji, count, command.Caller.ToRef(), command.Add)]);
            return after;
        });
    }

    public async Task<IReadOnlyList<MessageVersion>> GetHistory(Caller caller, long messageId)
    {
        await AuthorizeAsync(caller);
        var message = await FindAsync(messageId);
        if (message.IsDeleted && !caller.IsPrivileged)
        {
            // Evidence for disputes: after deletion only the marketplace's accounts may read what was said.
            throw ChatException.NotFound();
        }
        var versions = await conversation.GetVersionsAsync(messageId);
        // A deleted message's current row is a tombstone: its history ends with the last text it had.
        return message.IsDeleted
            ? versions
            : [.. versions, new MessageVersion(versions.Count + 1, message.Text, message.MetadataJson, message.EditedAt ?? message.SentAt)];
    }

    public async Task<long> MarkDelivered(Caller caller, long upToSeq)
    {
        var row = await AuthorizeAsync(caller);
        if (!row.IsParticipant(caller.Id))
        {
            return 0; // the marketplace's accounts receive nothing on anyone's behalf
        }
        return await Mutate(async () =>
        {
            var participant = _read.Of(caller.Id);
            var target = Math.Min(upToSeq, _lastSeq);
            if (target <= participant.Delivered)
            {
                return participant.Delivered;
            }
            participant.DeliveredCursor = target;
            await state.WriteStateAsync();
            Publish([new MessagesDelivered(ThreadId, caller.ToRef(), target)]);
            return target;
        });
    }
}
