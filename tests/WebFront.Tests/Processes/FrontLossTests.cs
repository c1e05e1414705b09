using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// A front process is killed (SIGKILL, no graceful stop) under load: its hub clients reconnect to the other front, join again with after_seq and catch
/// up, and the sender carries on there. Nothing acknowledged is missing for any receiver, no seq is duplicated.
/// </summary>
public sealed class FrontLossTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ProcessStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 2, processFronts: 1);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Clients_of_a_lost_front_reconnect_to_another_and_catch_up()
    {
        var (threadId, clientToken, freelancerToken) = await ChatTraffic.NewThreadAsync(_stack);
        var acked = new ConcurrentBag<Acked>();
        var seen = new ConcurrentDictionary<long, long>();
        // Both on front 0, the one that goes away.
        var receiver = await HubClient.ConnectAsync(_stack.Fronts[0], freelancerToken);
        await receiver.JoinAsync(threadId);
        var sender = await HubClient.ConnectAsync(_stack.Fronts[0], clientToken);
        using var stop = new CancellationTokenSource();
        var senderLoop = Task.Run(() => SendLoopAsync(threadId, clientToken, sender, acked, stop.Token));
        try
        {
            await Eventually.Holds(() => acked.Count >= 5, TimeSpan.FromSeconds(30), "load to flow");
            _stack.KillFront(0);
            var lostAt = DateTime.UtcNow;
            await Eventually.Holds(() => receiver.Connection.State == HubConnectionState.Disconnected, TimeSpan.FromSeconds(20), "the receiver to notice the lost front");
            await Eventually.Holds(() => acked.Count(a => a.At > lostAt) >= 5, TimeSpan.FromSeconds(30), "the sender to continue through the other front");

            // What a client does on reconnect: join again with after_seq = the last seq it has seen, on another front.
            foreach (var m in receiver.Received("chat_message"))
            {
                seen[m.GetProperty("seq").GetInt64()] = m.GetProperty("id").GetInt64();
            }
            var lastSeen = seen.IsEmpty ? 0 : seen.Keys.Max();
            await using var again = await HubClient.ConnectAsync(_stack.Fronts[1], freelancerToken);
            foreach (var m in (await again.JoinAsync(threadId, lastSeen)).EnumerateArray())
            {
                seen[m.GetProperty("seq").GetInt64()] = m.GetProperty("id").GetInt64();
            }
            var seqBefore = acked.Max(a => a.Seq);
            // ...and it is live again there.
            await Eventually.Holds(() => again.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > seqBefore), TimeSpan.FromSeconds(30),
                "a live message on the new front");
            await stop.CancelAsync();
            await senderLoop;
            await Task.Delay(500);
            var stored = await ChatTraffic.StoredAsync(_database.ConnectionString, threadId);
            foreach (var m in again.Received("chat_message"))
            {
                seen[m.GetProperty("seq").GetInt64()] = m.GetProperty("id").GetInt64();
            }
            // Anything still in flight at the stop: one more catch-up, as on any reconnect.
            foreach (var m in (await again.JoinAsync(threadId, seen.Keys.Max())).EnumerateArray())
            {
                seen[m.GetProperty("seq").GetInt64()] = m.GetProperty("id").GetInt64();
            }
            output.WriteLine($"acknowledged {acked.Count}, stored {stored.Count}, receiver has {seen.Count} (last seq before the loss {lastSeen})");
            ChatTraffic.AssertIntact(stored, acked);
            Assert.All(stored, s => Assert.Equal(s.Id, seen.GetValueOrDefault(s.Seq)));
        }
        finally
        {
            await stop.CancelAsync();
            await receiver.DisposeAsync();
        }
    }

    /// <summary>Sends m0, m1, … each until acknowledged; when its front is gone it reconnects to front 1 and retries the same id.</summary>
    private async Task SendLoopAsync(long threadId, string token, HubClient first, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        var hub = first;
        try
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        if (hub.Connection.State != HubConnectionState.Connected)
                        {
                            await hub.DisposeAsync();
                            hub = await HubClient.ConnectAsync(_stack.Fronts[1], token);
                        }
                        var message = await hub.SendAsync(threadId, new Dictionary<string, object> { ["message"] = $"message {k}", ["client_message_id"] = $"m{k}" });
                        acked.Add(new Acked(k, message.GetProperty("id").GetInt64(), message.GetProperty("seq").GetInt64(), DateTime.UtcNow));
                        await Task.Delay(50, CancellationToken.None);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        // The front went away mid-send: retry with the same client_message_id.
                        await Task.Delay(200, CancellationToken.None);
                    }
                }
            }
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
