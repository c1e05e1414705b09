using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// Fronts that host their own silo (<c>Front:HostSilo</c>, one process per machine): two such processes form one
/// cluster whose threads live on either; listeners on both receive every message once and in order (hub and raw
/// WebSocket), and a kill -9 of one process (a front and a silo at once) loses nothing acknowledged while the other
/// takes over its threads and its listeners stay fed without reconnecting.
/// </summary>
public sealed class FrontHostedSiloTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Threads = 6;
    private readonly ConcurrentBag<string> _refusals = [];
    private TestDatabase _database = null!;
    private ProcessStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 0, silos: 0, siloFronts: 2);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_one_of_two_silo_hosting_fronts_under_load_loses_nothing_and_the_other_delivers_in_order()
    {
        var threads = new List<(long Id, string ClientToken, HubClient Listener, WsTestClient Socket)>();
        for (var i = 0; i < Threads; i++)
        {
            threads.Add(await NewThreadAsync(i % 2));
        }
        // Listeners stay connected through the kill and hear what is sent after it; senders make progress again.
        var acked = await ChatTraffic.KillUnderLoadAsync(threads, SendLoopAsync, () => _stack.KillFront(0), output);

        output.WriteLine($"{_refusals.Count} sends were retried around the kill");
        ChatTraffic.AssertOnlyRetryableRefusals(_refusals);
        foreach (var (threadId, _, listener, socket) in threads)
        {
            await ChatTraffic.AssertDeliveredAsync(_database.ConnectionString, threadId, acked[threadId], listener, socket);
            await listener.DisposeAsync();
            await socket.DisposeAsync();
        }
    }

    /// <summary>A thread created through front <paramref name="creator"/>; its freelancer listens on the surviving front 1.</summary>
    private async Task<(long Id, string ClientToken, HubClient Listener, WsTestClient Socket)> NewThreadAsync(int creator)
    {
        var (id, clientToken, freelancerToken) = await ChatTraffic.NewThreadAsync(_stack, front: creator);
        var listener = await HubClient.ConnectAsync(_stack.Fronts[1], freelancerToken);
        await listener.JoinAsync(id);
        var url = new UriBuilder(new Uri(_stack.Fronts[1], $"ws/chat/{id}/")) { Scheme = "ws", Query = $"token={Uri.EscapeDataString(freelancerToken)}" }.Uri;
        return (id, clientToken, listener, await WsTestClient.ConnectAsync(url));
    }

    private async Task SendLoopAsync(long threadId, string token, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        using var http = _stack.Http(1, token);
        await ChatTraffic.RestSendLoopAsync(http, threadId, acked, _refusals, stop);
    }
}
