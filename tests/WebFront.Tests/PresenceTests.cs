using System.Diagnostics;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// Spec §8 presence on two fronts of one cluster: hub and WebSocket connections on both count, the last close sets
/// <c>last_seen_at</c>, reads change at once, <c>other_online</c> rides on every thread shape, and the
/// <c>presence</c> event reaches the other participant's hub only for changes that last 5 s.
/// </summary>
public sealed class PresenceTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly ChatStack _stack = new() { InitialFronts = 2 };

    public Task InitializeAsync() => _stack.InitializeAsync();

    public Task DisposeAsync() => _stack.DisposeAsync();

    private Uri Front(int i) => _stack.FrontUris[i];

    [Fact]
    public async Task Connections_on_two_fronts_keep_a_user_online_until_the_last_closes()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        using var viewer = _stack.Http(client.Token, Front(1));
        var before = await PresenceProbe.GetAsync(viewer, freelancer.Id);
        Assert.False(before.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("last_seen_at").ValueKind);

        var hub = await HubClient.ConnectAsync(Front(0), freelancer.Token);
        await hub.JoinAsync(threadId); // an invocation runs after OnConnectedAsync: the connection is counted by now
        Assert.True(await PresenceProbe.IsOnlineAsync(viewer, freelancer.Id));
        await using var socket = await WsTestClient.ConnectAsync(WsTestClient.Url(_stack, threadId, freelancer.Token, front: Front(1)));
        Assert.Equal(2, await PresenceProbe.FrontsWithConnectionsAsync(_stack.Database.ConnectionString, freelancer.Id));

        // The hub connection on front 0 closes: the WebSocket on front 1 still counts.
        await hub.DisposeAsync();
        await PresenceProbe.WaitUntilAsync(async () => await PresenceProbe.FrontsWithConnectionsAsync(_stack.Database.ConnectionString, freelancer.Id) == 1,
            Deadline, "front 0's count to reach zero");
        var stillOnline = await PresenceProbe.GetAsync(viewer, freelancer.Id);
        Assert.True(stillOnline.GetProperty("online").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stillOnline.GetProperty("last_seen_at").ValueKind);

        var closing = DateTime.UtcNow;
        await socket.CloseAsync();
        await PresenceProbe.WaitUntilAsync(async () => !await PresenceProbe.IsOnlineAsync(viewer, freelancer.Id), Deadline, "offline after the last close");
        var after = await PresenceProbe.GetAsync(viewer, freelancer.Id);
        var lastSeen = PresenceProbe.LastSeen(after);
        Assert.NotNull(lastSeen);
        Assert.InRange(lastSeen!.Value, closing.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        // The same answer from the other front, and for the user themself.
        using var own = _stack.Http(freelancer.Token, Front(0));
        Assert.Equal(lastSeen, PresenceProbe.LastSeen(await PresenceProbe.GetAsync(own, freelancer.Id)));
    }

    [Fact]
    public async Task Only_the_user_those_who_share_a_thread_and_privileged_accounts_may_read_presence()
    {
        var (client, freelancer, _) = await ChatApi.NewThreadAsync(_stack);
        var outsider = TestUser.Create(_stack, "client");
        await ChatApi.SignInAsync(_stack, outsider);
        using (var http = _stack.Http(outsider.Token))
        {
            await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/users/{freelancer.Id}/presence/"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/users/{client.Id}/presence/"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await http.GetAsync("api/chat/users/0/presence/"), HttpStatusCode.NotFound);
            await PresenceProbe.GetAsync(http, outsider.Id); // their own
        }
        using (var http = _stack.Http(freelancer.Token))
        {
            await PresenceProbe.GetAsync(http, client.Id);
            await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/users/{outsider.Id}/presence/"), HttpStatusCode.NotFound);
        }
        using (var anonymous = _stack.Http())
        {
            await ProblemAssert.IsProblem(await anonymous.GetAsync($"api/chat/users/{client.Id}/presence/"), HttpStatusCode.Unauthorized);
        }
        foreach (var role in new[] { "service", "admin" })
        {
            var privileged = TestUser.Create(_stack, role);
            using var http = _stack.Http(privileged.Token);
            Assert.False(await PresenceProbe.IsOnlineAsync(http, outsider.Id));
            Assert.False(await PresenceProbe.IsOnlineAsync(http, Random.Shared.NextInt64(1, 1L << 40))); // never seen: offline, never 404
        }
    }

    [Fact]
    public async Task Thread_shapes_carry_other_online_at_once()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        using var http = _stack.Http(client.Token, Front(0));
        Assert.False(await OtherOnlineInListAsync(http, threadId));
        Assert.False((await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/")).GetProperty("other_online").GetBoolean());

        await using var clientHub = await HubClient.ConnectAsync(Front(0), client.Token);
        await using var freelancerHub = await HubClient.ConnectAsync(Front(1), freelancer.Token);
        await freelancerHub.JoinAsync(threadId);
        Assert.True(await OtherOnlineInListAsync(http, threadId));
        Assert.True((await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/")).GetProperty("other_online").GetBoolean());
        // The freelancer sees the client online too (the client's hub connection), on the other front.
        using var other = _stack.Http(freelancer.Token, Front(1));
        await clientHub.JoinAsync(threadId);
        Assert.True(await OtherOnlineInListAsync(other, threadId));

        // The hub's thread_updated carries it as well.
        await ChatApi.SendAsync(_stack, freelancer, threadId, "are you there?");
        var updated = await clientHub.WaitFor("thread_updated", e => e.Count >= 1, "thread_updated after the freelancer's message");
        Assert.True(updated[^1].GetProperty("other_online").GetBoolean());

        await freelancerHub.DisposeAsync();
        await PresenceProbe.WaitUntilAsync(async () => !await OtherOnlineInListAsync(http, threadId), Deadline, "other_online false after the freelancer left");
    }

    [Fact]
    public async Task A_watching_participant_gets_real_changes_after_five_seconds_and_nothing_for_a_flap()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var watcher = await HubClient.ConnectAsync(Front(0), client.Token); // user-level: joins nothing
        await using var watcherSocket = await WsTestClient.ConnectAsync(WsTestClient.Url(_stack, threadId, client.Token, front: Front(0)));
        using var http = _stack.Http(client.Token, Front(0));

        var first = await HubClient.ConnectAsync(Front(1), freelancer.Token);
        await first.JoinAsync(threadId);
        var online = await watcher.WaitFor("presence", e => e.Any(p => About(p, freelancer.Id)), "the freelancer's online event");
        var onlineEvent = Assert.Single(online, p => About(p, freelancer.Id));
        Assert.True(onlineEvent.GetProperty("online").GetBoolean());
        Assert.Equal(freelancer.Username, onlineEvent.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.Null, onlineEvent.GetProperty("last_seen_at").ValueKind);

        // The flap: offline (the GET sees it at once), back online on the other front well within 5 s.
        var flap = Stopwatch.StartNew();
        await first.DisposeAsync();
        await PresenceProbe.WaitUntilAsync(async () => !await PresenceProbe.IsOnlineAsync(http, freelancer.Id), Deadline, "the flap's offline");
        await using var second = await HubClient.ConnectAsync(Front(0), freelancer.Token);
        await second.JoinAsync(threadId);
        Assert.True(await PresenceProbe.IsOnlineAsync(http, freelancer.Id));
        var flapTook = flap.Elapsed;
        Assert.True(flapTook < TimeSpan.FromSeconds(4), $"the flap took {flapTook}; it must be undone within 5 s to test the debounce");

        // A real change: the last connection closes for good. Its event comes 5 s later, and it is the only one since
        // the online event: had the flap been announced, its offline and online would have come before it.
        var leaving = Stopwatch.StartNew();
        await second.DisposeAsync();
        var events = await watcher.WaitFor("presence", e => e.Count(p => About(p, freelancer.Id)) >= 2, "the freelancer's offline event");
        var waited = leaving.Elapsed;
        var about = events.Where(p => About(p, freelancer.Id)).ToArray();
        Assert.Equal([true, false], about.Select(p => p.GetProperty("online").GetBoolean()));
        Assert.NotNull(PresenceProbe.LastSeen(about[1]));
        Assert.True(waited >= TimeSpan.FromSeconds(4.9), $"the offline event came {waited} after the close; the debounce is 5 s");
        output.WriteLine($"flap undone after {flapTook.TotalSeconds:F2} s; offline event {waited.TotalSeconds:F2} s after the last close");
        // §4's WebSocket protocol has no presence frame.
        Assert.DoesNotContain(watcherSocket.Frames.Items, f => WsTestClient.TypeOf(f) == "presence");
    }

    private static bool About(JsonElement presence, long userId) => presence.GetProperty("user").GetProperty("id").GetInt64() == userId;

    private static async Task<bool> OtherOnlineInListAsync(HttpClient http, long threadId)
    {
        var page = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/");
        return page.GetProperty("results").EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == threadId).GetProperty("other_online").GetBoolean();
    }
}
