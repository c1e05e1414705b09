using System.Collections.Concurrent;
using Npgsql;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>An acknowledged send: client_message_id "m{K}", and what the server answered.</summary>
public sealed record Acked(int K, long Id, long Seq, DateTime At);

/// <summary>Threads, stored rows and the "nothing acknowledged is lost or duplicated" check, shared by the outage tests.</summary>
public static class ChatTraffic
{
    public static async Task<(long Id, string ClientToken, string FreelancerToken)> NewThreadAsync(ProcessStack stack, int front = 0)
    {
        var clientId = Random.Shared.NextInt64(1, 1L << 40);
        var freelancerId = Random.Shared.NextInt64(1, 1L << 40);
        var clientToken = stack.Tokens.Mint(clientId, $"client{clientId}", "client");
        var freelancerToken = stack.Tokens.Mint(freelancerId, $"freelancer{freelancerId}", "freelancer");
        using (var f = stack.Http(front, freelancerToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("api/chat/users/me/")).StatusCode);
        }
        using var c = stack.Http(front, clientToken);
        var created = await c.PostAsJsonAsync("api/chat/threads/", new { client = clientId, freelancer = freelancerId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), clientToken, freelancerToken);
    }

    public static async Task<List<(long Id, long Seq, string ClientId)>> StoredAsync(string database, long threadId)
    {
        // Unpooled: a pooled connection may predate a database restart.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, seq, client_message_id FROM chat_messages WHERE thread_id = @t ORDER BY seq", connection);
        command.Parameters.AddWithValue("t", threadId);
        var rows = new List<(long, long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }
        return rows;
    }

    /// <summary>Seqs are exactly 1…N, each client_message_id is stored once, and every acknowledged send is stored as acknowledged.</summary>
    public static void AssertIntact(IReadOnlyList<(long Id, long Seq, string ClientId)> stored, IReadOnlyCollection<Acked> acked)
    {
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(s => s.Seq));
        Assert.Equal(stored.Count, stored.Select(s => s.ClientId).Distinct().Count());
        Assert.Equal(acked.Count, acked.Select(a => a.K).Distinct().Count());
        foreach (var a in acked)
        {
            Assert.Contains(stored, s => s.Id == a.Id && s.Seq == a.Seq && s.ClientId == $"m{a.K}");
        }
    }

    /// <summary>
    /// A REST client that sends message k until it is acknowledged (the same client_message_id on every retry), then
    /// k+1, until stopped. Each refusal is recorded as "STATUS Retry-After" / "STATUS no Retry-After" / "exception TYPE".
    /// </summary>
    public static async Task RestSendLoopAsync(HttpClient http, long threadId, ConcurrentBag<Acked> acked, ConcurrentBag<string> refusals, CancellationToken stop)
    {
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
                        acked.Add(new Acked(k, body.GetProperty("id").GetInt64(), body.GetProperty("seq").GetInt64(), DateTime.UtcNow));
                        break;
                    }
                    refusals.Add($"{(int)response.StatusCode} {(response.Headers.RetryAfter is null ? "no Retry-After" : "Retry-After")}");
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    refusals.Add("exception " + e.GetType().Name);
                }
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    /// <summary>While the cluster recovers a send may fail in flight or be refused retryably: 503 with Retry-After, nothing else.</summary>
    public static void AssertOnlyRetryableRefusals(IEnumerable<string> refusals)
    {
        var unexpected = refusals.Where(r => r != "503 Retry-After" && !r.StartsWith("exception ", StringComparison.Ordinal)).ToArray();
        Assert.True(unexpected.Length == 0, string.Join(", ", unexpected.Take(5)));
    }

    /// <summary>
    /// The thread's rows are intact (<see cref="AssertIntact"/>) and both listeners, open all along, received every
    /// acknowledged message once and in order (spec §6).
    /// </summary>
    public static async Task AssertDeliveredAsync(string database, long threadId, IReadOnlyCollection<Acked> acked, HubClient listener, WsTestClient socket)
    {
        AssertIntact(await StoredAsync(database, threadId), acked);
        var want = acked.Select(a => a.Seq).ToArray();
        var hubSeqs = () => SeqOrder.Seqs(listener.Received("chat_message"));
        var socketSeqs = () => SeqOrder.Seqs(socket.OfType("chat_message").Select(f => f.GetProperty("data")));
        await Eventually.Holds(() => SeqOrder.Covers(hubSeqs(), want) && SeqOrder.Covers(socketSeqs(), want), TimeSpan.FromSeconds(30), $"thread {threadId}'s listeners to have every acknowledged message");
        Assert.Null(SeqOrder.Problem(hubSeqs(), want, "hub listener"));
        Assert.Null(SeqOrder.Problem(socketSeqs(), want, "socket"));
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    /// <summary>
    /// Runs <paramref name="sendLoop"/> on every thread, kills something once each thread has 5 acknowledgements, then
    /// waits until every listener (open all along, not reconnecting) heard a message sent after the kill and every
    /// sender made progress again; returns what was acknowledged per thread.
    /// </summary>
    public static async Task<Dictionary<long, ConcurrentBag<Acked>>> KillUnderLoadAsync(
        IReadOnlyList<(long Id, string ClientToken, HubClient Listener, WsTestClient Socket)> threads,
        Func<long, string, ConcurrentBag<Acked>, CancellationToken, Task> sendLoop, Action kill, Xunit.Abstractions.ITestOutputHelper output)
    {
        var acked = threads.ToDictionary(t => t.Id, _ => new ConcurrentBag<Acked>());
        using var stop = new CancellationTokenSource();
        var senders = threads.Select(t => Task.Run(() => sendLoop(t.Id, t.ClientToken, acked[t.Id], stop.Token))).ToArray();
        try
        {
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count >= 5), TimeSpan.FromSeconds(60), "load to flow before the kill");
            var killedAt = DateTime.UtcNow;
            var seqAtKill = threads.ToDictionary(t => t.Id, t => acked[t.Id].Max(a => a.Seq));
            kill();
            await Eventually.Holds(() => threads.All(t => t.Listener.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > seqAtKill[t.Id])
                    && t.Socket.OfType("chat_message").Any(f => f.GetProperty("data").GetProperty("seq").GetInt64() > seqAtKill[t.Id])),
                TimeSpan.FromSeconds(30), "every listener to receive a message sent after the kill");
            output.WriteLine($"every listener heard a message sent after the kill {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after it");
            Assert.All(threads, t => Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, t.Listener.Connection.State));
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count(a => a.At > killedAt) >= 5), TimeSpan.FromSeconds(60), "senders to make progress after the kill");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        output.WriteLine($"acknowledged {acked.Values.Sum(a => a.Count)} messages");
        return acked;
    }
}
