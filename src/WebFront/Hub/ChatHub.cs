using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Diagnostics;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;
using OrleansChat.WebFront.Presence;

namespace OrleansChat.WebFront.Hub;

/// <summary>
/// /hubs/chat (spec §5): one connection per user serves all of that user's threads. Every call authorizes through
/// the thread grain; errors are HubExceptions "status: detail" (see <see cref="ChatHubErrorFilter"/>).
/// </summary>
[Authorize]
public sealed partial class ChatHub(
    ChatCommands chat,
    ConversationCommands conversation,
    ThreadSubscriptions subscriptions,
    UserEventRelay users,
    IHubContext<ChatHub> hubContext,
    ProfileRecorder profiles,
    PresenceTracker presence,
    IOptions<RealtimeOptions> options,
    ILogger<ChatHub> logger) : Microsoft.AspNetCore.SignalR.Hub
{
    private const string JoinedKey = "joined-threads";

    private Caller Caller => Context.User!.ToCaller();

    public override async Task OnConnectedAsync()
    {
        await profiles.RecordAsync(Context.User!.ToProfile());
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.User(Caller.Id));
        await users.AddUserAsync(Caller.Id);
        Context.Items[JoinedKey] = new HashSet<long>();
        ChatFrontMetrics.HubConnected();
        await presence.OpenAsync(Caller.Id, Caller.Username);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (!Context.Items.ContainsKey(JoinedKey))
        {
            return Task.CompletedTask; // OnConnectedAsync did not finish: nothing was registered.
        }
        ChatFrontMetrics.HubDisconnected();
        var caller = Caller;
        presence.Close(caller.Id);
        users.RemoveUser(caller.Id);
        foreach (var threadId in Joined)
        {
            subscriptions.RemoveHubUser(threadId, caller.Id);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Joins a thread's live events; with <paramref name="afterSeq"/>, first returns every message above it (at most
    /// <see cref="RealtimeOptions.MaxCatchUp"/>; the rest follow at once as <c>chat_message</c> events).
    /// </summary>
    public async Task<IReadOnlyList<MessageJson>> JoinThread(long threadId, long? afterSeq)
    {
        var caller = Caller;
        var thread = chat.Thread(threadId);
        await chat.AuthorizeListenerAsync(caller, threadId);
        // Listen first, read second: whatever commits in between arrives twice at worst (clients drop seen seqs), never zero times.
        if (Joined.Add(threadId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Thread(threadId));
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.ThreadUser(threadId, caller.Id));
            try
            {
                await subscriptions.AddHubUserAsync(threadId, caller.Id);
            }
            catch
            {
                // Not listening after all (the registry undid its part): leave the groups too, so a retry starts clean.
                Joined.Remove(threadId);
                await LeaveGroupsAsync(threadId, caller.Id);
                throw;
            }
        }
        if (afterSeq is not { } after)
        {
            return [];
        }
        var missed = new List<MessageJson>();
        await foreach (var message in CatchUp.ReadAsync(thread, caller, after))
        {
            if (missed.Count == options.Value.MaxCatchUp)
            {
                // Bounded memory: the rest goes to this connection page by page after the return value.
                _ = PushRestAsync(Context.ConnectionId, thread, caller, missed[^1].Seq);
                break;
            }
            missed.Add(MessageJson.From(message));
        }
        return missed;
    }

    public async Task LeaveThread(long threadId)
    {
        if (Joined.Remove(threadId))
        {
            await LeaveGroupsAsync(threadId, Caller.Id);
            subscriptions.RemoveHubUser(threadId, Caller.Id);
        }
    }

    private async Task LeaveGroupsAsync(long threadId, long userId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Thread(threadId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.ThreadUser(threadId, userId));
    }

    /// <summary>Sends; the payload is the REST body's shape. Returns the stored message (the original on a retry).</summary>
    public async Task<MessageJson> SendMessage(long threadId, object payload)
    {
        var result = await chat.SendAsync(Caller, threadId, new FieldReader(RequireObject(WirePayload.ToJson(payload))), "hub");
        return MessageJson.From(result.Message, false);
    }

    public async Task<MarkReadJson> MarkRead(long threadId, object? payload)
    {
        var json = WirePayload.ToJson(payload);
        var result = await chat.MarkReadAsync(Caller, threadId, new FieldReader(json.ValueKind == JsonValueKind.Null ? null : RequireObject(json)));
        return new MarkReadJson(result.Marked, result.UnreadCount);
    }

    public Task Typing(long threadId, bool isTyping) => chat.TypingAsync(Caller, threadId, isTyping);

    /// <summary>Adds (<paramref name="add"/>) or removes the caller's reaction; returns the message's reactions (spec §7).</summary>
    public Task<IReadOnlyList<ReactionJson>> React(long messageId, string emoji, bool add) =>
        conversation.ReactAsync(Caller, messageId, emoji, add);

    public Task<DeliveredJson> MarkDelivered(long threadId, long upToSeq) =>
        upToSeq < 0
            ? throw RequestProblemException.Invalid("up_to_seq", "must be a non-negative integer")
            : conversation.MarkDeliveredAsync(Caller, threadId, upToSeq);

    private async Task PushRestAsync(string connectionId, IThreadGrain thread, Caller caller, long afterSeq)
    {
        try
        {
            var connection = hubContext.Clients.Client(connectionId);
            await foreach (var message in CatchUp.ReadAsync(thread, caller, afterSeq))
            {
                await connection.SendAsync(WireEvents.ChatMessage, MessageJson.From(message));
            }
        }
        catch (Exception e)
        {
            // The connection went away, or the thread is briefly unavailable: the client catches up by seq.
            LogCatchUpFailed(logger, e, thread.GetPrimaryKeyLong());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing catch-up of thread {ThreadId} to a hub connection failed")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception, long threadId);

    private HashSet<long> Joined => (HashSet<long>)Context.Items[JoinedKey]!;

    private static JsonElement RequireObject(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
            ? payload
            : throw new RequestProblemException(422, "The payload must be an object.", new Dictionary<string, string[]> { ["payload"] = ["must be an object"] });
}
