namespace OrleansChat.GrainInterfaces;

/// <summary>Something that happened in a thread, pushed to every subscribed front.</summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadEvent")]
public abstract record ThreadEvent([property: Id(0)] long ThreadId);

[GenerateSerializer, Immutable, Alias("chat.MessageCreated")]
public sealed record MessageCreated(long ThreadId, [property: Id(0)] ChatMessage Message) : ThreadEvent(ThreadId);

/// <summary>
/// A message was edited. With two participants, <see cref="ReadByRecipient"/> and <see cref="DeliveredToRecipient"/>
/// (whether the participant who did not send it read it / got it) are every viewer's <c>is_read</c> and, for the
/// sender, <c>is_delivered</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.MessageEdited")]
public sealed record MessageEdited(
    long ThreadId,
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] bool ReadByRecipient = false,
    [property: Id(2)] bool DeliveredToRecipient = false) : ThreadEvent(ThreadId);

[GenerateSerializer, Immutable, Alias("chat.MessageDeleted")]
public sealed record MessageDeleted(long ThreadId, [property: Id(0)] long MessageId, [property: Id(1)] long Seq) : ThreadEvent(ThreadId);

/// <summary>Messages became read: <see cref="MessageIds"/> is cut at 1,000; <see cref="UpToSeq"/> is set when the cursor moved.</summary>
[GenerateSerializer, Immutable, Alias("chat.MessagesRead")]
public sealed record MessagesRead(
    long ThreadId,
    [property: Id(0)] UserRef Reader,
    [property: Id(1)] IReadOnlyList<long> MessageIds,
    [property: Id(2)] long? UpToSeq) : ThreadEvent(ThreadId);

[GenerateSerializer, Immutable, Alias("chat.TypingChanged")]
public sealed record TypingChanged(long ThreadId, [property: Id(0)] UserRef User, [property: Id(1)] bool IsTyping) : ThreadEvent(ThreadId);

/// <summary>Thread-wide facts changed (e.g. <c>is_active</c>); listeners refetch their own view.</summary>
[GenerateSerializer, Immutable, Alias("chat.ThreadChanged")]
public sealed record ThreadChanged(long ThreadId, [property: Id(0)] ThreadInfo Info) : ThreadEvent(ThreadId);

/// <summary>A user's reaction was added or removed; <see cref="Count"/> is the emoji's count on the message after it.</summary>
[GenerateSerializer, Immutable, Alias("chat.ReactionUpdated")]
public sealed record ReactionUpdated(
    long ThreadId,
    [property: Id(0)] long MessageId,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Emoji,
    [property: Id(3)] int Count,
    [property: Id(4)] UserRef User,
    [property: Id(5)] bool Added) : ThreadEvent(ThreadId);

/// <summary>A participant's delivered cursor moved (by mark-delivered or mark-read).</summary>
[GenerateSerializer, Immutable, Alias("chat.MessagesDelivered")]
public sealed record MessagesDelivered(long ThreadId, [property: Id(0)] UserRef User, [property: Id(1)] long UpToSeq) : ThreadEvent(ThreadId);
