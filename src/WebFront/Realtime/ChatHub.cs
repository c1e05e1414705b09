using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansChat.WebFront.Api;
using OrleansChat.WebFront.Auth;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Realtime;

/// <summary>
/// /hubs/chat (spec §5): one connection per user serves all of that user's threads. Every call authorizes through
/// the thread grain; errors are HubExceptions "status: detail" (see <see cref="ChatHubErrorFilter"/>).
/// </summary>
[Authorize]
public sealed class ChatHub(IClusterClient cluster, ThreadEventBridge bridge, ProfileRecorder profiles, SendRateLimiter limiter, ParticipantCache participants, IOptions<RealtimeOptions> options) : Hub
{
    private const string JoinedKey = "joined-threads";

    private Caller Caller => Context.User!.ToCaller();

    public override async Task OnConnectedAsync()
    {
        await profiles.RecordAsync(Context.User!.ToProfile());
        await Groups.AddToGroupAsync(Context.ConnectionId, HubEvents.UserGroup(Caller.Id));
        await bridge.AddUserListenerAsync(Caller.Id);
        Context.Items[JoinedKey] = new HashSet<long>();
        ChatFrontMetrics.HubConnected();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (!Context.Items.ContainsKey(JoinedKey))
        {
            return Task.CompletedTask; // OnConnectedAsync did not finish: nothing was registered.
        }
        ChatFrontMetrics.HubDisconnected();
        var caller = Caller;
        bridge.RemoveUserListener(caller.Id);
        foreach (var threadId in Joined)
        {
            bridge.RemoveThreadListener(threadId, caller.Id, null);
        }
        return Task.CompletedTask;
    }

    /// <summary>Joins a thread's live events; with <paramref name="afterSeq"/>, first returns every message above it.</summary>
    public async Task<IReadOnlyList<MessageJson>> JoinThread(long threadId, long? afterSeq)
    {
        var caller = Caller;
        var thread = cluster.GetGrain<IThreadGrain>(threadId);
        await thread.Authorize(caller);
        // Listen first, read second: whatever commits in between arrives twice at worst (clients drop seen seqs), never zero times.
        if (Joined.Add(threadId))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubEvents.ThreadGroup(threadId));
            await Groups.AddToGroupAsync(Context.ConnectionId, HubEvents.ThreadUserGroup(threadId, caller.Id));
            await bridge.AddThreadListenerAsync(threadId, caller.Id, null);
        }
        return afterSeq is { } after ? await CatchUp.ReadAsync(thread, caller, after, options.Value.MaxCatchUp) : [];
    }

    public async Task LeaveThread(long threadId)
    {
        if (Joined.Remove(threadId))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubEvents.ThreadGroup(threadId));
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubEvents.ThreadUserGroup(threadId, Caller.Id));
            bridge.RemoveThreadListener(threadId, Caller.Id, null);
        }
    }

    /// <summary>Sends; the payload is the REST body's shape. Returns the stored message (the original on a retry).</summary>
    public async Task<MessageJson> SendMessage(long threadId, object payload)
    {
        var caller = Caller;
        var thread = cluster.GetGrain<IThreadGrain>(threadId);
        await participants.EnsureAsync(caller, threadId);
        var command = MessageRules.ReadSend(new FieldReader(RequireObject(WirePayload.ToJson(payload))), caller);
        limiter.Acquire(caller.Id);
        var result = await ChatFrontMetrics.TimeSend("hub", () => thread.Send(command));
        return MessageJson.From(result.Message, false);
    }

    public async Task<MarkReadJson> MarkRead(long threadId, object? payload)
    {
        var caller = Caller;
        var thread = cluster.GetGrain<IThreadGrain>(threadId);
        await participants.EnsureAsync(caller, threadId);
        var json = WirePayload.ToJson(payload);
        var fields = new FieldReader(json.ValueKind == JsonValueKind.Null ? null : RequireObject(json));
        var ids = fields.IdList("message_ids", 10_000);
        var upToSeq = fields.Seq("up_to_seq");
        fields.ThrowIfInvalid();
        var result = await thread.MarkRead(new MarkReadCommand(caller, ids, upToSeq));
        return new MarkReadJson(result.Marked, result.UnreadCount);
    }

    public Task Typing(long threadId, bool isTyping) => cluster.GetGrain<IThreadGrain>(threadId).Typing(Caller, isTyping);

    private HashSet<long> Joined => (HashSet<long>)Context.Items[JoinedKey]!;

    private static JsonElement RequireObject(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
            ? payload
            : throw new RequestProblemException(422, "The payload must be an object.", new Dictionary<string, string[]> { ["payload"] = ["must be an object"] });
}
