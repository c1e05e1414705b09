namespace OrleansChat.Grains.Threads;

/// <summary>
/// Read state of spec §6 for one thread: per participant a read cursor plus the ids read one by one above it
/// (persisted in <see cref="ThreadState"/>), and the unread counts derived from them (memory only, re-derived from
/// the log on activation). Plain class: the grain calls it under its mutation lock. It reads the state through
/// <paramref name="persisted"/> each time, because storage replaces the state object when it loads it.
/// </summary>
public sealed class ReadState(Func<ThreadState> persisted)
{
    private readonly Dictionary<long, int> _unread = [];

    private ThreadState State => persisted();

    public IEnumerable<long> Participants => State.Participants.Keys;

    public bool IsParticipant(long userId) => State.Participants.ContainsKey(userId);

    public ParticipantState Of(long userId) => State.Participants[userId];

    public void AddParticipant(long userId) => State.Participants.TryAdd(userId, new ParticipantState());

    public int Unread(long userId) => _unread.GetValueOrDefault(userId);

    public void SetUnread(long userId, int count) => _unread[userId] = count;

    /// <summary>A new message is unread for every participant but its sender (sending changes no read state of the sender's).</summary>
    public void Sent(ChatMessage message)
    {
        foreach (var participant in State.Participants.Keys)
        {
            if (participant != message.Sender.Id)
            {
                _unread[participant] = _unread.GetValueOrDefault(participant) + 1;
            }
        }
    }

    /// <summary>A deleted message no longer counts as unread for those who had not read it.</summary>
    public void Deleted(ChatMessage original)
    {
        foreach (var (userId, participant) in State.Participants)
        {
            if (userId != original.Sender.Id && !participant.HasRead(original))
            {
                _unread[userId] = Math.Max(0, _unread.GetValueOrDefault(userId) - 1);
            }
        }
    }

    /// <summary>Moves the cursor forward to <paramref name="target"/> (never back) and prunes ids at or below it.</summary>
    public (long Old, long New) MoveCursor(long userId, long target)
    {
        var participant = State.Participants[userId];
        var old = participant.ReadCursor;
        if (target <= old)
        {
            return (old, old);
        }
        participant.ReadCursor = target;
        foreach (var pruned in participant.ReadAbove.Where(r => r.Value <= target).Select(r => r.Key).ToArray())
        {
            participant.ReadAbove.Remove(pruned);
        }
        return (old, target);
    }

    /// <summary>Marks one message read by id; false when it is the reader's own, deleted, or read already.</summary>
    public bool MarkOne(long userId, ChatMessage message)
    {
        var participant = State.Participants[userId];
        if (message.Sender.Id == userId || message.IsDeleted || participant.HasRead(message))
        {
            return false;
        }
        participant.ReadAbove[message.Id] = message.Seq;
        return true;
    }

    /// <summary>Takes <paramref name="count"/> newly read messages off the reader's unread count.</summary>
    public int Read(long userId, int count) => _unread[userId] = Math.Max(0, _unread.GetValueOrDefault(userId) - count);

    /// <summary>
    /// <c>is_read</c> as <paramref name="viewerId"/> sees it: for their own message (or a non-participant viewer),
    /// whether the other participants read it; for others' messages, whether the viewer did.
    /// </summary>
    public bool IsRead(long viewerId, ChatMessage message)
    {
        var participants = State.Participants;
        if (message.Sender.Id != viewerId && participants.TryGetValue(viewerId, out var viewer))
        {
            return viewer.HasRead(message);
        }
        var others = participants.Where(p => p.Key != message.Sender.Id && p.Key != viewerId).ToArray();
        return others.Length > 0 && others.All(p => p.Value.HasRead(message));
    }

    /// <summary>
    /// <c>is_delivered</c> as <paramref name="viewerId"/> sees it (spec §7): others' messages are delivered to the
    /// viewer; the viewer's own when every other participant's delivered cursor reached it or they read it.
    /// </summary>
    public bool IsDelivered(long viewerId, ChatMessage message)
    {
        if (message.Sender.Id != viewerId)
        {
            return true;
        }
        var others = State.Participants.Where(p => p.Key != viewerId).ToArray();
        return others.Length > 0 && others.All(p => p.Value.Delivered >= message.Seq || p.Value.HasRead(message));
    }
}
