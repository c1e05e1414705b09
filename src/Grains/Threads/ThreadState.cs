namespace OrleansChat.Grains.Threads;

/// <summary>
/// The persisted part of a thread (grain state "thread"): per-participant read state and settings. It stays
/// small: messages live in the message log, and ids read one by one are kept only above the read cursor.
/// </summary>
public sealed class ThreadState
{
    public Dictionary<long, ParticipantState> Participants { get; set; } = [];
}

public sealed class ParticipantState
{
    /// <summary>Every message with seq at or below this is read.</summary>
    public long ReadCursor { get; set; }

    /// <summary>Messages above the cursor read one by one: id → seq (the seq lets the cursor prune them).</summary>
    public Dictionary<long, long> ReadAbove { get; set; } = [];

    /// <summary>Every message with seq at or below this reached the participant (spec §7); read implies delivered.</summary>
    public long DeliveredCursor { get; set; }

    /// <summary>What the participant's delivered cursor effectively is: never behind the read cursor.</summary>
    public long Delivered => Math.Max(DeliveredCursor, ReadCursor);

    public bool IsMuted { get; set; }

    public bool IsArchived { get; set; }

    public bool HasRead(ChatMessage message) => message.Seq <= ReadCursor || ReadAbove.ContainsKey(message.Id);
}
