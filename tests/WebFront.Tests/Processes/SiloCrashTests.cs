using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// kill -9 of a silo under load: nothing acknowledged is lost, no seq is duplicated, and connected clients (hub and
/// raw WebSocket) receive every acknowledged message, once and in order, without doing anything but staying connected.
/// </summary>
public sealed class SiloCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ConcurrentBag<string> _refusals = [];
    private const int Threads = 8;
    private TestDatabase _database = null!;
    private ProcessStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 1, silos: 2);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_message()
    {
        var threads = new List<(long Id, string ClientToken, HubClient Listener, WsTestClient Socket)>();
        for (var i = 0; i < Threads; i++)
        {
            threads.Add(await NewThreadWithListenerAsync());
        }
        // Listeners stay connected through the kill and hear what is sent after it; senders make progress again.
        var acked = await ChatTraffic.KillUnderLoadAsync(threads, SendLoopAsync, () => _stack.Silos[0].Kill(), output);

        output.WriteLine($"{_refusals.Count} sends were retried around the kill");
        ChatTraffic.AssertOnlyRetryableRefusals(_refusals);
        foreach (var (threadId, _, listener, socket) in threads)
        {
            // Gap-free, unique, every ack stored; both listeners stayed open through the kill and have everything in order.
            await ChatTraffic.AssertDeliveredAsync(_database.ConnectionString, threadId, acked[threadId], listener, socket);
            await listener.DisposeAsync();
            await socket.DisposeAsync();
        }
    }

    private async Task<(long Id, string ClientToken, HubClient Listener, WsTestClient Socket)> NewThreadWithListenerAsync()
    {
        var (id, clientToken, freelancerToken) = await ChatTraffic.NewThreadAsync(_stack);
        var listener = await HubClient.ConnectAsync(_stack.Fronts[0], freelancerToken);
        await listener.JoinAsync(id);
        var url = new UriBuilder(new Uri(_stack.Fronts[0], $"ws/chat/{id}/")) { Scheme = "ws", Query = $"token={Uri.EscapeDataString(freelancerToken)}" }.Uri;
        var socket = await WsTestClient.ConnectAsync(url);
        return (id, clientToken, listener, socket);
    }

    private async Task SendLoopAsync(long threadId, string token, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        using var http = _stack.Http(0, token);
        await ChatTraffic.RestSendLoopAsync(http, threadId, acked, _refusals, stop);
    }
}
