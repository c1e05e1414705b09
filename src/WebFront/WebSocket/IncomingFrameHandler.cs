using System.Text.Json;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Diagnostics;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// Acts on one client frame, exactly the seed's shapes: <c>chat_message</c>, <c>mark_messages_read</c>,
/// <c>typing_indicator</c>. Every refusal becomes an <c>error</c> frame with the status REST would answer (the
/// shared <see cref="ErrorMapping"/>) and the connection stays open. Results that every participant needs
/// (a new message, reads, typing) come back through the bridge, not from here.
/// </summary>
public sealed class IncomingFrameHandler(IThreadGrain thread, Caller caller, SendRateLimiter limiter, OutgoingQueue queue, ILogger logger)
{
    private const int MaxMarkReadIds = 10_000;

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
                default:
                    throw RequestProblemException.Invalid("type", "must be chat_message, mark_messages_read or typing_indicator");
            }
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { } problem)
        {
            queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(problem.Status, problem.Detail, clientMessageId), null));
        }
        catch (Exception e)
        {
            WebSocketLog.FrameFailed(logger, e, caller.Id, thread.GetPrimaryKeyLong());
            queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(500, "Unexpected error.", clientMessageId), null));
        }
    }

    /// <summary>Reports an unusable frame (binary, oversized, flooding) like any other refusal.</summary>
    public void Refuse(int code, string message) =>
        queue.Enqueue(new OutgoingFrame(OutgoingFrames.Error(code, message, null), null));

    private async Task SendAsync(FieldReader fields)
    {
        var command = MessageRules.ReadSend(fields, caller);
        limiter.Acquire(caller.Id);
        var result = await ChatFrontMetrics.TimeSend("websocket", () => thread.Send(command));
        if (!result.Created)
        {
            // An idempotent retry: the original goes back to this socket only; nothing is broadcast again.
            queue.Enqueue(new OutgoingFrame(WireEvents.ChatMessageFrame(MessageJson.From(result.Message, false)), null));
        }
    }

    private async Task MarkReadAsync(FieldReader fields)
    {
        // REST's semantics: ids and/or a cursor; neither means "everything read".
        var ids = fields.IdList("message_ids", MaxMarkReadIds);
        var upToSeq = fields.Seq("up_to_seq");
        fields.ThrowIfInvalid();
        limiter.MarkReads.Acquire(caller.Id);
        await thread.MarkRead(new MarkReadCommand(caller, ids, upToSeq));
    }

    private async Task TypingAsync(FieldReader fields)
    {
        if (fields.Raw("is_typing") is not { ValueKind: not JsonValueKind.Null })
        {
            fields.Error("is_typing", "This field is required.");
        }
        var isTyping = fields.Bool("is_typing");
        fields.ThrowIfInvalid();
        if (!limiter.Typing.TryAcquire(caller.Id, out _))
        {
            return; // Spec §4: typing frames are never refused; the excess is dropped.
        }
        await thread.Typing(caller, isTyping!.Value);
    }
}
