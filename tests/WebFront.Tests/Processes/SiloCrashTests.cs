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
        var acked = threads.ToDictionary(t => t.Id, _ => new ConcurrentBag<Acked>());
        using var stop = new CancellationTokenSource();
        var senders = threads.Select(t => Task.Run(() => SendLoopAsync(t.Id, t.ClientToken, acked[t.Id], stop.Token))).ToArray();
        try
        {
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count >= 5), TimeSpan.FromSeconds(60), "load to flow before the kill");

            var killedAt = DateTime.UtcNow;
            var seqAtKill = threads.ToDictionary(t => t.Id, t => acked[t.Id].Max(a => a.Seq));
            _stack.Silos[0].Kill();

            // Every connected listener hears a message sent after the kill within 30 s, without reconnecting...
            await Eventually.Holds(() => threads.All(t => t.Listener.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > seqAtKill[t.Id])
                    && t.Socket.OfType("chat_message").Any(f => f.GetProperty("data").GetProperty("seq").GetInt64() > seqAtKill[t.Id])),
                TimeSpan.FromSeconds(30), "every listener to receive a message sent after the kill");
            output.WriteLine($"every listener heard a message sent after the kill {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after it");
            Assert.All(threads, t => Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, t.Listener.Connection.State));
            // ...and every sender keeps making progress.
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count(a => a.At > killedAt) >= 5), TimeSpan.FromSeconds(60), "senders to make progress after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        output.WriteLine($"acknowledged {acked.Values.Sum(a => a.Count)} messages; {_refusals.Count} sends were retried around the kill");
        // While the cluster recovers, a send may fail in flight or be refused retryably: 503 with Retry-After, nothing else.
        var unexpected = _refusals.Where(r => r != "503 Retry-After" && !r.StartsWith("exception ", StringComparison.Ordinal)).ToArray();
        Assert.True(unexpected.Length == 0, string.Join(", ", unexpected.Take(5)));
        foreach (var (threadId, _, listener, socket) in threads)
        {
            // Gap-free and unique: seqs are exactly 1…N, every client_message_id is stored once, every ack is stored.
            ChatTraffic.AssertIntact(await ChatTraffic.StoredAsync(_database.ConnectionString, threadId), acked[threadId]);
            // Both listeners stayed open through the kill: every acknowledged message reached them once, in order (§6).
            var want = acked[threadId].Select(a => a.Seq).ToArray();
            var hubSeqs = () => SeqOrder.Seqs(listener.Received("chat_message"));
            var socketSeqs = () => SeqOrder.Seqs(socket.OfType("chat_message").Select(f => f.GetProperty("data")));
            await Eventually.Holds(() => SeqOrder.Covers(hubSeqs(), want) && SeqOrder.Covers(socketSeqs(), want), TimeSpan.FromSeconds(30), $"thread {threadId}'s listeners to have every acknowledged message");
            Assert.Null(SeqOrder.Problem(hubSeqs(), want, "hub listener"));
            Assert.Null(SeqOrder.Problem(socketSeqs(), want, "socket"));
            Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
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
