namespace OrleansChat.Grains.Storage;

/// <summary>A message about to be appended, with its seq already assigned by the thread grain.</summary>
public sealed record NewMessage(
    long ThreadId,
    long Seq,
    Caller Sender,
    string Text,
    string MessageType,
    string? MetadataJson,
    string? ClientMessageId,
    DateTime SentAt,
    OutboxEvent? Event,
    ReplyQuote? ReplyTo = null,
    IReadOnlyList<AttachmentInfo>? Attachments = null)
{
    public ChatMessage ToMessage(long id) =>
        new(id, ThreadId, Seq, Sender.ToRef(), Text, MessageType, MetadataJson, SentAt, null, false, ClientMessageId, ReplyTo?.Id, ReplyTo,
            Attachments: Attachments);
}

/// <summary>An integration event written in the same statement as its message.</summary>
public sealed record OutboxEvent(Guid EventId, string EventType, string PayloadJson);

/// <summary>What PostgreSQL assigned to an appended message.</summary>
public readonly record struct AppendedMessage(long ThreadId, long Seq, long Id);
