using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// The one encoder of thread events for both realtime protocols. A hub event is (name, payload); the WebSocket frame
/// of the same event is <c>{"type": name, "data": payload}</c> for message events and, for the seed's flat frames
/// (<c>messages_read</c>, <c>typing_indicator</c>), the payload's fields beside <c>type</c> without <c>thread</c>
/// (spec §4, §5). Events the wire does not carry (thread-wide changes) encode to null in both.
/// </summary>
public static class WireEvents
{
    public const string ChatMessage = "chat_message";
    public const string MessageEdited = "message_edited";
    public const string MessageDeleted = "message_deleted";
    public const string MessagesRead = "messages_read";
    public const string TypingIndicator = "typing_indicator";
    public const string ReactionUpdated = "reaction_updated";
    public const string MessagesDelivered = "messages_delivered";
    public const string UnreadCount = "unread_count";
    public const string ThreadUpdated = "thread_updated";
    public const string Presence = "presence";

    // Every socket of a thread on this front gets the same event object: render its frame once for all of them
    // (once per viewer for the events whose payload has per-viewer fields).
    private static readonly ConditionalWeakTable<ThreadEvent, byte[]> Frames = [];
    private static readonly ConditionalWeakTable<ThreadEvent, ConcurrentDictionary<long, byte[]>> ViewerFrames = [];

    /// <summary>Whether the event's payload depends on who receives it (a message's <c>is_delivered</c> and reactions' <c>me</c>).</summary>
    public static bool IsPerViewer(ThreadEvent e) => e is MessageCreated or GrainInterfaces.MessageEdited;

    /// <summary>The hub event for a thread event as <paramref name="viewerId"/> sees it, or null when the wire does not carry it.</summary>
    public static WireEvent? Encode(ThreadEvent e, long viewerId = 0) => e switch
    {
        // A new message: nobody but its sender has read or received it yet (spec §7 is_delivered: others' messages true).
        MessageCreated c => new(ChatMessage, MessageJson.From(c.Message, false, c.Message.Sender.Id != viewerId, viewerId), Flat: false),
        MessageEdited ed => new(MessageEdited, MessageJson.From(ed.Message, ed.ReadByRecipient, ed.Message.Sender.Id != viewerId || ed.DeliveredToRecipient, viewerId), Flat: false),
        MessageDeleted d => new(MessageDeleted, new DeletedMessageJson(d.MessageId, d.ThreadId, d.Seq), Flat: false),
        MessagesRead r => new(MessagesRead, new MessagesReadPayload(r.ThreadId, r.MessageIds, r.Reader.Username, r.UpToSeq), Flat: true),
        TypingChanged t => new(TypingIndicator, new TypingPayload(t.ThreadId, t.User.Username, t.IsTyping), Flat: true),
        ReactionUpdated r => new(ReactionUpdated, new ReactionUpdatedPayload(r.ThreadId, r.MessageId, r.Seq, r.Emoji, r.Count, new UserJson(r.User.Id, r.User.Username), r.Added), Flat: false),
        MessagesDelivered d => new(MessagesDelivered, new MessagesDeliveredPayload(d.ThreadId, new UserJson(d.User.Id, d.User.Username), d.UpToSeq), Flat: false),
        _ => null,
    };

    /// <summary>The WebSocket frame for a thread event (rendered once per event, or per viewer), or null when the wire does not carry it.</summary>
    public static byte[]? WebSocketFrame(ThreadEvent e, long viewerId = 0)
    {
        if (IsPerViewer(e))
        {
            var frames = ViewerFrames.GetValue(e, _ => new ConcurrentDictionary<long, byte[]>());
            return frames.TryGetValue(viewerId, out var mine) ? mine
                : Encode(e, viewerId) is { } own ? frames.GetOrAdd(viewerId, WebSocketFrame(own))
                : null;
        }
        return Frames.TryGetValue(e, out var frame) ? frame
            : Encode(e) is { } wire ? Frames.GetValue(e, _ => WebSocketFrame(wire))
            : null;
    }

    /// <summary>A <c>chat_message</c> frame for a message read from history (catch-up, idempotent replies).</summary>
    public static byte[] ChatMessageFrame(MessageJson message) => WebSocketFrame(new WireEvent(ChatMessage, message, Flat: false));

    private static byte[] WebSocketFrame(WireEvent wire)
    {
        if (!wire.Flat)
        {
            return JsonSerializer.SerializeToUtf8Bytes(new DataFrame(wire.Name, wire.Payload), WireJson.Options);
        }
        var fields = JsonSerializer.SerializeToNode(wire.Payload, wire.Payload.GetType(), WireJson.Options)!.AsObject();
        var frame = new JsonObject { ["type"] = wire.Name };
        foreach (var (name, value) in fields)
        {
            if (name != "thread")
            {
                frame[name] = value?.DeepClone();
            }
        }
        return JsonSerializer.SerializeToUtf8Bytes(frame, WireJson.Options);
    }

    private sealed record DataFrame(string Type, object Data);
}

/// <summary>An event as the wire names and shapes it; <see cref="Flat"/> marks the seed's flat WebSocket frames.</summary>
public sealed record WireEvent(string Name, object Payload, bool Flat);

public sealed record MessagesReadPayload(
    long Thread,
    IReadOnlyList<long> MessageIds,
    string Reader,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UpToSeq);

public sealed record TypingPayload(long Thread, string User, bool IsTyping);

public sealed record ReactionUpdatedPayload(long Thread, long MessageId, long Seq, string Emoji, int Count, UserJson User, bool Added);

public sealed record MessagesDeliveredPayload(long Thread, UserJson User, long UpToSeq);

public sealed record UnreadCountPayload(int UnreadCount, long Thread, int ThreadUnreadCount);

/// <summary>Spec §8's <c>presence</c> event (hub only: §4's WebSocket protocol has no such frame), also the GET's user-level shape.</summary>
public sealed record PresencePayload(UserJson User, bool Online, DateTime? LastSeenAt);
