namespace OrleansChat.GrainInterfaces;

/// <summary>The thread-wide facts: who, which job, whether it is active, and its newest message.</summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadInfo")]
public sealed record ThreadInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] long ClientId,
    [property: Id(2)] long FreelancerId,
    [property: Id(3)] long? JobId,
    [property: Id(4)] DateTime CreatedAt,
    [property: Id(5)] bool IsActive,
    [property: Id(6)] long LastSeq,
    [property: Id(7)] MessageSummary? LastMessage)
{
    public bool IsParticipant(long userId) => userId == ClientId || userId == FreelancerId;

    public long OtherParticipant(long userId) => userId == ClientId ? FreelancerId : ClientId;

    /// <summary>What thread lists sort by: the newest message, or creation for an empty thread.</summary>
    public DateTime ActivityAt => LastMessage?.SentAt ?? CreatedAt;
}

/// <summary>A thread as one user sees it. <see cref="Version"/> only grows, so stale updates can be dropped.</summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadView")]
public sealed record ThreadView(
    [property: Id(0)] ThreadInfo Info,
    [property: Id(1)] long ViewerId,
    [property: Id(2)] int UnreadCount,
    [property: Id(3)] bool IsMuted,
    [property: Id(4)] bool IsArchived,
    [property: Id(5)] long Version,
    [property: Id(6)] DateTime? PinnedAt = null);

[GenerateSerializer, Immutable, Alias("chat.ThreadSettings")]
public sealed record ThreadSettings(
    [property: Id(0)] bool? IsMuted,
    [property: Id(1)] bool? IsArchived,
    [property: Id(2)] bool? IsActive);

[GenerateSerializer, Immutable, Alias("chat.MarkReadCommand")]
public sealed record MarkReadCommand(
    [property: Id(0)] Caller Reader,
    [property: Id(1)] IReadOnlyList<long>? MessageIds,
    [property: Id(2)] long? UpToSeq)
{
    /// <summary>No ids and no seq: everything up to the thread's last message is read.</summary>
    public bool MarksAll => MessageIds is null && UpToSeq is null;
}

[GenerateSerializer, Immutable, Alias("chat.MarkReadResult")]
public sealed record MarkReadResult([property: Id(0)] int Marked, [property: Id(1)] int UnreadCount);

[GenerateSerializer, Immutable, Alias("chat.CreateThreadResult")]
public sealed record CreateThreadResult([property: Id(0)] long ThreadId, [property: Id(1)] bool Created);
