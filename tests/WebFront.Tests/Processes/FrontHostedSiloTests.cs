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
        var acked = threads.ToDictionary(t => t.Id, _ => new ConcurrentBag<Acked>());
        using var stop = new CancellationTokenSource();
        var senders = threads.Select(t => Task.Run(() => SendLoopAsync(t.Id, t.ClientToken, acked[t.Id], stop.Token))).ToArray();
        try
        {
            // Grains of both processes serve sends: every thread makes progress, wherever it was placed.
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count >= 5), TimeSpan.FromSeconds(60), "load to flow before the kill");

            var killedAt = DateTime.UtcNow;
            var seqAtKill = threads.ToDictionary(t => t.Id, t => acked[t.Id].Max(a => a.Seq));
            _stack.KillFront(0);

            await Eventually.Holds(() => threads.All(t => t.Listener.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > seqAtKill[t.Id])
                    && t.Socket.OfType("chat_message").Any(f => f.GetProperty("data").GetProperty("seq").GetInt64() > seqAtKill[t.Id])),
                TimeSpan.FromSeconds(30), "every listener to receive a message sent after the kill");
            output.WriteLine($"every listener heard a message sent after the kill {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after it");
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count(a => a.At > killedAt) >= 5), TimeSpan.FromSeconds(60), "senders to make progress after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        output.WriteLine($"acknowledged {acked.Values.Sum(a => a.Count)} messages; {_refusals.Count} sends were retried around the kill");
        var unexpected = _refusals.Where(r => r != "503 Retry-After" && !r.StartsWith("exception ", StringComparison.Ordinal)).ToArray();
        Assert.True(unexpected.Length == 0, string.Join(", ", unexpected.Take(5)));
        foreach (var (threadId, _, listener, socket) in threads)
        {
            ChatTraffic.AssertIntact(await ChatTraffic.StoredAsync(_database.ConnectionString, threadId), acked[threadId]);
            var want = acked[threadId].Select(a => a.Seq).ToArray();
            var hubSeqs = () => SeqOrder.Seqs(listener.Received("chat_message"));
            var socketSeqs = () => SeqOrder.Seqs(socket.OfType("chat_message").Select(f => f.GetProperty("data")));
            await Eventually.Holds(() => SeqOrder.Covers(hubSeqs(), want) && SeqOrder.Covers(socketSeqs(), want), TimeSpan.FromSeconds(30), $"thread {threadId}'s listeners to have every acknowledged message");
            Assert.Null(SeqOrder.Problem(hubSeqs(), want, "hub listener"));
            Assert.Null(SeqOrder.Problem(socketSeqs(), want, "socket"));
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
