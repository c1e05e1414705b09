namespace OrleansChat.GrainInterfaces;

/// <summary>
/// A stored message. <see cref="MetadataJson"/> is a JSON object serialized, or null. <see cref="ReplyTo"/>,
/// <see cref="Reactions"/> and <see cref="Attachments"/> (null: none) are filled in when messages are read, not
/// stored in the row.
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] long Id,
    [property: Id(1)] long ThreadId,
    [property: Id(2)] long Seq,
    [property: Id(3)] UserRef Sender,
    [property: Id(4)] string Text,
    [property: Id(5)] string MessageType,
    [property: Id(6)] string? MetadataJson,
    [property: Id(7)] DateTime SentAt,
    [property: Id(8)] DateTime? EditedAt,
    [property: Id(9)] bool IsDeleted,
    [property: Id(10)] string? ClientMessageId,
    [property: Id(11)] long? ReplyToId = null,
    [property: Id(12)] ReplyQuote? ReplyTo = null,
    [property: Id(13)] IReadOnlyList<ReactionSummary>? Reactions = null,
    [property: Id(14)] IReadOnlyList<AttachmentInfo>? Attachments = null);

/// <summary>
/// A message as one viewer sees it: <see cref="IsRead"/> and <see cref="IsDelivered"/> depend on who asks, and so
/// does each reaction's <c>me</c> (<see cref="ViewerId"/>; 0 for an event rendered once for every listener).
/// </summary>
[GenerateSerializer, Immutable, Alias("chat.MessageView")]
public sealed record MessageView(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] bool IsRead,
    [property: Id(2)] bool IsDelivered = false,
    [property: Id(3)] long ViewerId = 0);

/// <summary>A page of history in ascending seq; <see cref="HasMore"/> looks in the direction read.</summary>
[GenerateSerializer, Immutable, Alias("chat.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageView> Messages,
    [property: Id(1)] bool HasMore,
    [property: Id(2)] long LastSeq);

/// <summary>What a sender asks for; validated by the front, re-checked by the grain.</summary>
[GenerateSerializer, Immutable, Alias("chat.SendCommand")]
public sealed record SendCommand(
    [property: Id(0)] Caller Sender,
    [property: Id(1)] string Text,
    [property: Id(2)] string MessageType,
    [property: Id(3)] string? MetadataJson,
    [property: Id(4)] string? ClientMessageId,
    [property: Id(5)] IntegrationEventDraft? IntegrationEvent = null,
    [property: Id(6)] long? ReplyTo = null,
    [property: Id(7)] IReadOnlyList<long>? Attachments = null);

/// <summary>An integration event stored in the outbox in the same transaction as its message.</summary>
[GenerateSerializer, Immutable, Alias("chat.IntegrationEventDraft")]
public sealed record IntegrationEventDraft([property: Id(0)] string EventType, [property: Id(1)] string PayloadJson);

/// <summary>The result of a send: <see cref="Created"/> is false for an idempotent retry.</summary>
[GenerateSerializer, Immutable, Alias("chat.SendResult")]
public sealed record SendResult([property: Id(0)] ChatMessage Message, [property: Id(1)] bool Created);

/// <summary>The last message of a thread, as thread lists show it.</summary>
[GenerateSerializer, Immutable, Alias("chat.MessageSummary")]
public sealed record MessageSummary(
    [property: Id(0)] long Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTime SentAt)
{
    public static MessageSummary Of(ChatMessage m) => new(m.Id, m.Seq, m.Text, m.SentAt);
}
