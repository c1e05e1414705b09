using System.Text.Json;
using OrleansChat.WebFront.Diagnostics;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// The one command layer behind REST, the hub and the WebSocket: each command reads its fields (one set of rules),
/// takes the caller's rate-limit token, makes sure the caller's participation is known, and calls the thread grain,
/// which authorizes. Transports only translate their wire into a <see cref="FieldReader"/> and the results back;
/// refusals are exceptions that <see cref="ErrorMapping"/> words for every transport alike.
/// </summary>
public sealed class ChatCommands(IClusterClient cluster, SendRateLimiter limits, ParticipantCache participants, StuckSendRetry retry)
{
    /// <summary>The most ids one mark-read names.</summary>
    public const int MaxMarkReadIds = 10_000;

    /// <summary>Sends (spec §2); the result says whether it was created or is the original of a retry.</summary>
    public async Task<SendResult> SendAsync(Caller caller, long threadId, FieldReader fields, string transport)
    {
        await participants.EnsureAsync(caller, threadId);
        var command = MessageRules.ReadSend(fields, caller);
        limits.Acquire(caller.Id);
        return await ChatFrontMetrics.TimeSend(transport, () => SendToThread(threadId, command));
    }

    /// <summary>
    /// Posts an integration message (dispute, payment, job update: spec §2) whose type-specific fields
    /// <paramref name="read"/> takes from the body; the outbox event is written in the same statement as the message.
    /// </summary>
    public async Task<SendResult> PostIntegrationAsync(Caller caller, long threadId, FieldReader fields, Func<FieldReader, IntegrationMessage> read)
    {
        await participants.EnsureAsync(caller, threadId);
        var message = read(fields);
        var clientMessageId = MessageRules.ReadClientMessageId(fields);
        fields.ThrowIfInvalid();
        limits.Acquire(caller.Id);
        var metadataJson = JsonSerializer.Serialize(message.Metadata);
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["actor"] = new Dictionary<string, object?> { ["id"] = caller.Id, ["username"] = caller.Username, ["role"] = caller.Role.ToWire() },
            ["details"] = message.Metadata,
        });
        var command = new SendCommand(caller, message.Text, message.Type, metadataJson, clientMessageId, new IntegrationEventDraft(message.EventType, payload));
        return await ChatFrontMetrics.TimeSend("rest", () => SendToThread(threadId, command));
    }

    /// <summary>A send with a client_message_id is sent again while a lost call keeps it unanswered (see StuckSendRetry).</summary>
    private Task<SendResult> SendToThread(long threadId, SendCommand command) =>
        retry.RunAsync(() => Thread(threadId).Send(command), idempotent: command.ClientMessageId is not null);

    /// <summary>Marks read by ids and/or a cursor; neither (or no body at all) means everything (spec §6).</summary>
    public async Task<MarkReadResult> MarkReadAsync(Caller caller, long threadId, FieldReader fields)
    {
        limits.MarkReads.Acquire(caller.Id);
        await participants.EnsureAsync(caller, threadId);
        var ids = fields.IdList("message_ids", MaxMarkReadIds);
        var upToSeq = fields.Seq("up_to_seq");
        fields.ThrowIfInvalid();
        return await Thread(threadId).MarkRead(new MarkReadCommand(caller, ids, upToSeq));
    }

    /// <summary>Typing is never refused (spec §4): beyond the caller's typing rate it is dropped silently.</summary>
    public async Task TypingAsync(Caller caller, long threadId, bool isTyping)
    {
        if (limits.Typing.TryAcquire(caller.Id, out _))
        {
            await Thread(threadId).Typing(caller, isTyping);
        }
    }

    /// <summary>Reads <c>is_typing</c> (required, a boolean) from a frame or payload.</summary>
    public static bool ReadIsTyping(FieldReader fields)
    {
        if (fields.Raw("is_typing") is not { ValueKind: not JsonValueKind.Null })
        {
            fields.Error("is_typing", "This field is required.");
        }
        var isTyping = fields.Bool("is_typing");
        fields.ThrowIfInvalid();
        return isTyping!.Value;
    }

    public async Task<MessageView> EditAsync(Caller caller, long messageId, FieldReader fields)
    {
        var thread = await LocateAsync(messageId);
        await thread.Authorize(caller);
        var text = fields.String("message", required: true);
        if (text is not null && MessageRules.TextProblem(text) is { } problem)
        {
            fields.Error("message", problem);
        }
        var replaceMetadata = fields.Has("metadata");
        var metadata = MessageRules.ReadMetadata(fields);
        fields.ThrowIfInvalid();
        return await thread.Edit(caller, messageId, text!, metadata, replaceMetadata);
    }

    public async Task DeleteAsync(Caller caller, long messageId) =>
        await (await LocateAsync(messageId)).Delete(caller, messageId);

    public async Task<MessageView> GetMessageAsync(Caller caller, long messageId) =>
        await (await LocateAsync(messageId)).GetMessage(caller, messageId);

    /// <summary>Authorizes a listener (hub join, WebSocket connect): participants and privileged accounts only.</summary>
    public Task<ThreadInfo> AuthorizeListenerAsync(Caller caller, long threadId) => Thread(threadId).Authorize(caller);

    public IThreadGrain Thread(long threadId) => cluster.GetGrain<IThreadGrain>(threadId);

    /// <summary>The grain of the thread a message belongs to; 404 for an unknown id.</summary>
    public async Task<IThreadGrain> LocateAsync(long messageId)
    {
        var threadId = await cluster.GetGrain<IMessageLocatorGrain>(0).FindThread(messageId) ?? throw ChatException.NotFound();
        return Thread(threadId);
    }
}

/// <summary>An integration message as its endpoint builds it: type, human line, metadata and outbox event type.</summary>
public sealed record IntegrationMessage(string Type, string Text, Dictionary<string, object?> Metadata, string EventType);
