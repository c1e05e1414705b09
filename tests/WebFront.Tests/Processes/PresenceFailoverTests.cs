using System.Diagnostics;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// Spec §8: a front that dies (SIGKILL: no close handshake, no goodbye) is noticed within 30 s and its connections
/// count as closed — also when a silo dies with it, taking presence grains along: the truth is in PostgreSQL, and
/// any silo's sweeper ends the dead front's lease.
/// </summary>
public sealed class PresenceFailoverTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Contract = TimeSpan.FromSeconds(30);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_user_on_a_killed_front_shows_offline_within_30_seconds_and_the_watcher_is_told()
    {
        await using var stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 2, processFronts: 1);
        var (threadId, clientToken, freelancerToken) = await ChatTraffic.NewThreadAsync(stack, front: 1);
        var (clientId, freelancerId) = await ParticipantsAsync(stack, threadId, clientToken);
        await using var watcher = await HubClient.ConnectAsync(stack.Fronts[1], clientToken);
        var doomed = await HubClient.ConnectAsync(stack.Fronts[0], freelancerToken);
        await doomed.JoinAsync(threadId);
        using var http = stack.Http(1, clientToken);
        Assert.True(await PresenceProbe.IsOnlineAsync(http, freelancerId));
        await watcher.WaitFor("presence", e => PresenceProbe.EventsAbout(watcher, freelancerId).Count == 1, "the online event");

        stack.KillFront(0);
        var killedAt = DateTime.UtcNow;
        var took = await PresenceProbe.WaitUntilAsync(async () => !await PresenceProbe.IsOnlineAsync(http, freelancerId), Contract, "offline after the kill");
        Assert.True(took <= Contract, $"noticed after {took}");
        output.WriteLine($"front killed: offline after {took.TotalSeconds:F1} s");
        var lastSeen = PresenceProbe.LastSeen(await PresenceProbe.GetAsync(http, freelancerId));
        Assert.NotNull(lastSeen);
        Assert.InRange(lastSeen!.Value, killedAt.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        // The thread list agrees, and the watcher hears of it (after the debounce).
        var page = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/");
        Assert.False(page.GetProperty("results")[0].GetProperty("other_online").GetBoolean());
        await watcher.WaitFor("presence", e => PresenceProbe.EventsAbout(watcher, freelancerId).Count == 2, "the offline event");
        Assert.False(PresenceProbe.EventsAbout(watcher, freelancerId)[1].GetProperty("online").GetBoolean());
        Assert.True(await PresenceProbe.IsOnlineAsync(http, clientId)); // the watcher's own front lives on
        await doomed.DisposeAsync();
    }

    [Fact]
    public async Task A_front_and_a_silo_killed_together_still_end_in_the_truth_within_30_seconds()
    {
        await using var stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 2, silos: 2, processFronts: 1);
        // Two users in threads with one client: one on the front that dies, one on the front that lives.
        var (lostThread, clientToken, lostToken) = await ChatTraffic.NewThreadAsync(stack, front: 1);
        var (_, lostId) = await ParticipantsAsync(stack, lostThread, clientToken);
        var (keptThread, keptClientToken, keptToken) = await ChatTraffic.NewThreadAsync(stack, front: 1);
        var (_, keptId) = await ParticipantsAsync(stack, keptThread, keptClientToken);
        var lost = await HubClient.ConnectAsync(stack.Fronts[0], lostToken);
        await lost.JoinAsync(lostThread);
        await using var kept = await HubClient.ConnectAsync(stack.Fronts[1], keptToken);
        await kept.JoinAsync(keptThread);
        using var lostViewer = stack.Http(1, clientToken);
        using var keptViewer = stack.Http(1, keptClientToken);
        Assert.True(await PresenceProbe.IsOnlineAsync(lostViewer, lostId));
        Assert.True(await PresenceProbe.IsOnlineAsync(keptViewer, keptId));

        // Whichever grains lived on silo 0 are gone with it; the surviving silo sweeps and reactivates them from rows.
        stack.Silos[0].Kill();
        stack.KillFront(0);
        var clock = Stopwatch.StartNew();
        await PresenceProbe.WaitUntilAsync(async () => await AnswersAsync(lostViewer, lostId) == false, Contract, "the lost front's user offline");
        Assert.True(clock.Elapsed <= Contract, $"noticed after {clock.Elapsed}");
        output.WriteLine($"front and silo killed: offline after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(await PresenceProbe.IsOnlineAsync(keptViewer, keptId)); // still online: nothing of it was only in memory
        Assert.NotNull(PresenceProbe.LastSeen(await PresenceProbe.GetAsync(lostViewer, lostId)));
        await lost.DisposeAsync();
    }

    /// <summary>Online, or null while the cluster is still declaring the dead silo dead (a 503 or a timeout).</summary>
    private static async Task<bool?> AnswersAsync(HttpClient http, long userId)
    {
        try
        {
            var response = await http.GetAsync($"api/chat/users/{userId}/presence/");
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("online").GetBoolean()
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<(long Client, long Freelancer)> ParticipantsAsync(ProcessStack stack, long threadId, string clientToken)
    {
        using var http = stack.Http(1, clientToken);
        var thread = await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        return (thread.GetProperty("client").GetProperty("id").GetInt64(), thread.GetProperty("freelancer").GetProperty("id").GetInt64());
    }
}
