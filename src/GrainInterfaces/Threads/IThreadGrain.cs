namespace OrleansChat.GrainInterfaces;

/// <summary>
/// One chat thread (key: thread id). Owns seq assignment, idempotent durable sends, edits, deletes,
/// read state, unread counts, typing and per-participant settings. Every method authorizes the caller:
/// outsiders get <see cref="ChatErrorKind.NotFound"/>.
/// </summary>
[Alias("chat.IThreadGrain")]
public interface IThreadGrain : IGrainWithIntegerKey
{
    [Alias("GetView")]
    Task<ThreadView> GetView(Caller caller);

    /// <summary>The view of one participant, for that user's inbox (no caller check: silo-internal).</summary>
    [Alias("GetViewFor")]
    Task<ThreadView?> GetViewFor(long userId);

    [Alias("Send")]
    Task<SendResult> Send(SendCommand command);

    [Alias("GetMessages")]
    Task<MessagePage> GetMessages(Caller caller, long? before, long? after, int limit);

    [Alias("GetMessage")]
    Task<MessageView> GetMessage(Caller caller, long messageId);

    [Alias("Edit")]
    Task<MessageView> Edit(Caller caller, long messageId, string text, string? metadataJson, bool replaceMetadata);

    [Alias("Delete")]
    Task Delete(Caller caller, long messageId);

    [Alias("MarkRead")]
    Task<MarkReadResult> MarkRead(MarkReadCommand command);

    [Alias("React")]
    Task<IReadOnlyList<ReactionSummary>> React(ReactionCommand command);

    [Alias("GetHistory")]
    Task<IReadOnlyList<MessageVersion>> GetHistory(Caller caller, long messageId);

    /// <summary>Moves the caller's delivered cursor to min(<paramref name="upToSeq"/>, last seq) if that is further; answers the cursor.</summary>
    [Alias("MarkDelivered")]
    Task<long> MarkDelivered(Caller caller, long upToSeq);

    [Alias("UpdateSettings")]
    Task<ThreadView> UpdateSettings(Caller caller, ThreadSettings settings);

    [Alias("Typing")]
    Task Typing(Caller caller, bool isTyping);

    /// <summary>Authorizes a listener before a front subscribes for it.</summary>
    [Alias("Authorize")]
    Task<ThreadInfo> Authorize(Caller caller);

    /// <summary>Tells both participants' inboxes about this thread (after creation).</summary>
    [Alias("Announce")]
    Task Announce();

    /// <summary>Registers (or renews) a front's observer and answers, in the same turn, where the stream stands.</summary>
    [Alias("Subscribe")]
    Task<ThreadStreamPosition> Subscribe(IThreadObserver observer);

}
