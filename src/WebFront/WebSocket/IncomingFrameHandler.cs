using System.Text.Json;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// Acts on one client frame, exactly the seed's shapes: <c>chat_message</c>, <c>mark_messages_read</c>,
/// <c>typing_indicator</c>. Every refusal becomes an <c>error</c> frame with the status REST would answer (the
/// shared <see cref="ErrorMapping"/>) and the connection stays open. Results that every participant needs
/// (a new message, reads, typing) come back through the delivery path (Delivery/), not from here.
/// </summary>
public sealed class IncomingFrameHandler(ChatCommands chat, ConversationCommands conversation, long threadId, Caller caller, OutgoingQueue queue, ILogger logger)
{
    public async Task HandleAsync(ReadOnlyMemory<byte> payload)
    {
        string? clientMessageId = null;
        try
        {
            using var document = JsonText.Parse(payload, "frame");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw RequestProblemException.Invalid("frame", "must be a JSON object");
            }
            if (root.TryGetProperty("client_message_id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                clientMessageId = id.GetString();
            }
            var fields = new FieldReader(root);
            var type = fields.String("type", required: true);
            fields.ThrowIfInvalid();
            switch (type)
            {
                case "chat_message":
                    await SendAsync(fields);
                    break;
                case "mark_messages_read":
                    await MarkReadAsync(fields);
                    break;
                case "typing_indicator":
                    await TypingAsync(fields);
                    break;
                case "reaction":
                    await ReactAsync(fields);
                    break;
                case "mark_delivered":
                    await conversation.MarkDeliveredAsync(caller, threadId, fields);
                    break;
                default:
                    throw RequestProblemException.Invalid("type", "must be chat_message, mark_messages_read, typing_indicator, reaction or mark_delivered");
            }
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { } problem)
        {
            queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(problem.Status, problem.Detail, clientMessageId), null));
        }
        catch (Exception e)
        {
            WebSocketLog.FrameFailed(logger, e, caller.Id, threadId);
            queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(500, "Unexpected error.", clientMessageId), null));
        }
    }

    /// <summary>Reports an unusable frame (binary, oversized, flooding) like any other refusal.</summary>
    public void Refuse(int code, string message) =>
        queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(code, message, null), null));

    private async Task SendAsync(FieldReader fields)
    {
        var result = await chat.SendAsync(caller, threadId, fields, "websocket");
        if (!result.Created)
        {
            // An idempotent retry: the original goes back to this socket only; nothing is broadcast again.
            queue.Enqueue(new OutgoingFrame(WireEvents.ChatMessageFrame(MessageJson.From(result.Message, false)), null));
        }
    }

    /// <summary><c>{"type": "reaction", "message_id", "emoji", "add"}</c>: the result reaches every participant as <c>reaction_updated</c>.</summary>
    private async Task ReactAsync(FieldReader fields)
    {
        var messageId = fields.Id("message_id", required: true);
        var emoji = fields.String("emoji", required: true);
        if (fields.Raw("add") is not { ValueKind: JsonValueKind.True or JsonValueKind.False })
        {
            fields.Error("add", "must be a boolean");
        }
        fields.ThrowIfInvalid();
        await conversation.ReactAsync(caller, messageId!.Value, emoji, fields.Bool("add")!.Value);
    }

    // REST's semantics: ids and/or a cursor; neither means "everything read".
    private Task MarkReadAsync(FieldReader fields) => chat.MarkReadAsync(caller, threadId, fields);

    private Task TypingAsync(FieldReader fields) => chat.TypingAsync(caller, threadId, ChatCommands.ReadIsTyping(fields));
}
