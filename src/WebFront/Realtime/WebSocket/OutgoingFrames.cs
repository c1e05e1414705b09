using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Realtime.WebSocket;

/// <summary>
/// The server → client frames of spec §4, exactly the seed's shapes (plus <c>message_edited</c>,
/// <c>message_deleted</c>, and <c>code</c>/<c>client_message_id</c> on errors), serialized with the wire options.
/// </summary>
public static class OutgoingFrames
{
    // Every socket of a thread on this front gets the same event object from the bridge: render it once for all.
    private static readonly ConditionalWeakTable<ThreadEvent, byte[]> Rendered = [];

    /// <summary>The frame for a thread event, or null for events the protocol does not carry (thread changes).</summary>
    public static byte[]? For(ThreadEvent threadEvent) =>
        threadEvent is ThreadChanged ? null : Rendered.GetValue(threadEvent, Render);

    public static byte[] ChatMessage(MessageJson message) => Serialize(new DataFrame<MessageJson>(HubEvents.ChatMessage, message));

    public static byte[] Error(int code, string message, string? clientMessageId) =>
        Serialize(new ErrorFrame("error", message, code, clientMessageId));

    private static byte[] Render(ThreadEvent e) => e switch
    {
        MessageCreated c => ChatMessage(MessageJson.From(c.Message, false)),
        MessageEdited ed => Serialize(new DataFrame<MessageJson>(HubEvents.MessageEdited, MessageJson.From(ed.Message, false))),
        MessageDeleted d => Serialize(new DataFrame<DeletedMessageJson>(HubEvents.MessageDeleted, new DeletedMessageJson(d.MessageId, d.ThreadId, d.Seq))),
        MessagesRead r => Serialize(new MessagesReadFrame(HubEvents.MessagesRead, r.MessageIds, r.Reader.Username, r.UpToSeq)),
        TypingChanged t => Serialize(new TypingFrame(HubEvents.TypingIndicator, t.User.Username, t.IsTyping)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not a WebSocket event"),
    };

    private static byte[] Serialize<T>(T frame) => JsonSerializer.SerializeToUtf8Bytes(frame, WireJson.Options);

    private sealed record DataFrame<T>(string Type, T Data);

    private sealed record MessagesReadFrame(
        string Type,
        IReadOnlyList<long> MessageIds,
        string Reader,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UpToSeq);

    private sealed record TypingFrame(string Type, string User, bool IsTyping);

    private sealed record ErrorFrame(
        string Type,
        string Message,
        int Code,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientMessageId);
}
