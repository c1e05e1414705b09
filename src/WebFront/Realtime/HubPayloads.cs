using System.Text.Json.Serialization;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Realtime;

public sealed record MessagesReadPayload(
    long Thread,
    IReadOnlyList<long> MessageIds,
    string Reader,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UpToSeq);

public sealed record TypingPayload(long Thread, string User, bool IsTyping);

public sealed record UnreadCountPayload(int UnreadCount, long Thread, int ThreadUnreadCount);

/// <summary>The hub's event names (spec §5), identical to the WebSocket protocol's types.</summary>
public static class HubEvents
{
    public const string ChatMessage = "chat_message";
    public const string MessageEdited = "message_edited";
    public const string MessageDeleted = "message_deleted";
    public const string MessagesRead = "messages_read";
    public const string TypingIndicator = "typing_indicator";
    public const string UnreadCount = "unread_count";
    public const string ThreadUpdated = "thread_updated";

    public static string ThreadGroup(long threadId) => $"thread:{threadId}";

    public static string ThreadUserGroup(long threadId, long userId) => $"thread:{threadId}:user:{userId}";

    public static string UserGroup(long userId) => $"user:{userId}";

    /// <summary>The wire event for a thread event: name and payload.</summary>
    public static (string Name, object Payload) ToWire(ThreadEvent e) => e switch
    {
        MessageCreated c => (ChatMessage, MessageJson.From(c.Message, false)),
        MessageEdited ed => (MessageEdited, MessageJson.From(ed.Message, false)),
        MessageDeleted d => (MessageDeleted, new DeletedMessageJson(d.MessageId, d.ThreadId, d.Seq)),
        MessagesRead r => (MessagesRead, new MessagesReadPayload(r.ThreadId, r.MessageIds, r.Reader.Username, r.UpToSeq)),
        TypingChanged t => (TypingIndicator, new TypingPayload(t.ThreadId, t.User.Username, t.IsTyping)),
        _ => ("", new object()),
    };
}
