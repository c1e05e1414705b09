namespace OrleansChat.Grains.Threads;

/// <summary>
/// Read state (spec §6): per participant a cursor plus the ids read one by one above it. Unread counts are kept in
/// memory, derived from the log on activation and adjusted here under the mutation lock.
/// </summary>
public sealed partial class ThreadGrain
{
    /// <summary>The most ids one <c>messages_read</c> event carries.</summary>
    private const int MaxReadIdsInEvent = 1000;

    public async Task<MarkReadResult> MarkRead(MarkReadCommand command)
    {
        var row = await AuthorizeAsync(command.Reader);
        if (!row.IsParticipant(command.Reader.Id))
        {
            // The marketplace's accounts read on nobody's behalf: nothing of theirs is unread.
            return new MarkReadResult(0, 0);
        }
        return await Mutate(() => MarkReadCoreAsync(command));
    }

    private async Task<MarkReadResult> MarkReadCoreAsync(MarkReadCommand command)
    {
        var userId = command.Reader.Id;
        var participant = _read.Of(userId);
        var target = command.MarksAll ? _lastSeq : Math.Min(command.UpToSeq ?? 0, _lastSeq);
        var newlyRead = new List<long>();
        var marked = 0;
        if (target > participant.ReadCursor)
        {
            // Counted before the cursor moves: ids read one by one above the old cursor are not read twice.
            var (count, ids) = await messages.NewlyReadAsync(ThreadId, userId, participant.ReadCursor, target, [.. participant.ReadAbove.Keys], MaxReadIdsInEvent);
            marked += count;
            newlyRead.AddRange(ids);
        }
        var deliveredBefore = participant.Delivered;
        var (oldCursor, newCursor) = _read.MoveCursor(userId, target);
        if (command.MessageIds is { Count: > 0 } requested)
        {
            var candidates = requested.Distinct().Where(id => !participant.ReadAbove.ContainsKey(id)).ToArray();
            // Ids that are not messages of this thread simply do not come back: they are ignored.
            foreach (var message in await messages.GetByIdsAsync(ThreadId, candidates))
            {
                if (_read.MarkOne(userId, message))
                {
                    marked++;
                    if (newlyRead.Count < MaxReadIdsInEvent)
                    {
                        newlyRead.Add(message.Id);
                    }
                }
            }
        }
        if (marked == 0 && newCursor == oldCursor)
        {
            return new MarkReadResult(0, _read.Unread(userId));
        }
        await state.WriteStateAsync();
        var unread = _read.Read(userId, marked);
        var read = new MessagesRead(ThreadId, command.Reader.ToRef(), newlyRead, newCursor > oldCursor ? newCursor : null);
        // Reading implies delivery (spec §7): a read cursor that passes the delivered one moves it, and says so.
        Publish(participant.Delivered > deliveredBefore
            ? [read, new MessagesDelivered(ThreadId, command.Reader.ToRef(), participant.Delivered)]
            : [read]);
        await UpdateInboxAsync(userId);
        return new MarkReadResult(marked, unread);
    }
}
