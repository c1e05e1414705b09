using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// kill -9 of a silo under load: nothing acknowledged is lost, no seq is duplicated, and connected clients receive
/// new messages again within 30 s without doing anything but staying connected.
/// </summary>
public sealed class SiloCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ConcurrentBag<string> _unexpected = [];
    private int _retries;
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
        var threads = new List<(long Id, string ClientToken, HubClient Listener)>();
        for (var i = 0; i < Threads; i++)
        {
            threads.Add(await NewThreadWithListenerAsync());
        }
        var acked = threads.ToDictionary(t => t.Id, _ => new ConcurrentBag<(int K, long Id, long Seq, DateTime At)>());
        using var stop = new CancellationTokenSource();
        var senders = threads.Select(t => Task.Run(() => SendLoopAsync(t.Id, t.ClientToken, acked[t.Id], stop.Token))).ToArray();
        try
        {
            await WaitUntil(() => threads.All(t => acked[t.Id].Count >= 5), TimeSpan.FromSeconds(60), "load to flow before the kill");

            var killedAt = DateTime.UtcNow;
            var seqAtKill = threads.ToDictionary(t => t.Id, t => acked[t.Id].Max(a => a.Seq));
            _stack.Silos[0].Kill();

            // Every connected listener hears a message sent after the kill within 30 s, without reconnecting...
            await WaitUntil(() => threads.All(t => t.Listener.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > seqAtKill[t.Id])),
                TimeSpan.FromSeconds(30), "every listener to receive a message sent after the kill");
            Assert.All(threads, t => Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, t.Listener.Connection.State));
            // ...and every sender keeps making progress.
            await WaitUntil(() => threads.All(t => acked[t.Id].Count(a => a.At > killedAt) >= 5), TimeSpan.FromSeconds(60), "senders to make progress after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        output.WriteLine($"acknowledged {acked.Values.Sum(a => a.Count)} messages; {_retries} sends were retried around the kill");
        // While the cluster recovers, the only acceptable refusal is a retryable 503 with Retry-After.
        Assert.True(_unexpected.IsEmpty, string.Join("\n", _unexpected.Take(5)));
        foreach (var (threadId, _, listener) in threads)
        {
            var mine = acked[threadId].ToArray();
            Assert.Equal(mine.Length, mine.Select(a => a.K).Distinct().Count());
            var stored = await StoredAsync(threadId);
            // Gap-free and unique: seqs are exactly 1…N, and every client_message_id is stored once.
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(s => s.Seq));
            Assert.Equal(stored.Count, stored.Select(s => s.ClientId).Distinct().Count());
            foreach (var a in mine)
            {
                Assert.Contains(stored, s => s.Id == a.Id && s.Seq == a.Seq && s.ClientId == $"m{a.K}");
            }
            await listener.DisposeAsync();
        }
    }

    private async Task<(long Id, string ClientToken, HubClient Listener)> NewThreadWithListenerAsync()
    {
        var clientId = Random.Shared.NextInt64(1, 1L << 40);
        var freelancerId = Random.Shared.NextInt64(1, 1L << 40);
        var clientToken = _stack.Tokens.Mint(clientId, $"client{clientId}", "client");
        var freelancerToken = _stack.Tokens.Mint(freelancerId, $"freelancer{freelancerId}", "freelancer");
        using (var f = _stack.Http(0, freelancerToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api/chat/users/me/")).StatusCode);
        }
        using var c = _stack.Http(0, clientToken);
        var created = await c.PostAsJsonAsync("api/chat/threads/", new { client = clientId, freelancer = freelancerId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var listener = await HubClient.ConnectAsync(_stack.Fronts[0], freelancerToken);
        await listener.JoinAsync(id);
        return (id, clientToken, listener);
    }

    /// <summary>A client that sends message k until it is acknowledged (same client_message_id on every retry), then k+1.</summary>
    private async Task SendLoopAsync(long threadId, string token, ConcurrentBag<(int, long, long, DateTime)> acked, CancellationToken stop)
    {
        using var http = _stack.Http(0, token);
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = $"message {k}", client_message_id = $"m{k}" }, stop);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>(stop);
                        acked.Add((k, body.GetProperty("id").GetInt64(), body.GetProperty("seq").GetInt64(), DateTime.UtcNow));
                        break;
                    }
                    Interlocked.Increment(ref _retries);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null)
                    {
                        _unexpected.Add($"{(int)response.StatusCode} (Retry-After {response.Headers.RetryAfter}): {await response.Content.ReadAsStringAsync(stop)}");
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The request itself failed: retry with the same client_message_id.
                    Interlocked.Increment(ref _retries);
                }
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private async Task<List<(long Id, long Seq, string ClientId)>> StoredAsync(long threadId)
    {
        await using var command = _database.DataSource.CreateCommand("SELECT id, seq, client_message_id FROM chat_messages WHERE thread_id = @t ORDER BY seq");
        command.Parameters.AddWithValue("t", threadId);
        var rows = new List<(long, long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }
        return rows;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(100);
        }
    }
}
