using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// PostgreSQL stopped (pg_ctl stop -m fast), or crashed (pg_ctl stop -m immediate, fsync on), and started again
/// under load, on a private server: sends are refused
/// with a clear, retryable error while it is down (REST 503 + Retry-After, hub "503: …") and succeed again after,
/// without restarting the silo or the front; nothing acknowledged is lost and no seq is duplicated.
/// Also the regression test for a thread that stayed stuck after an outage (a retry waiting on a send that no
/// flush loop would ever commit).
/// </summary>
public sealed class PostgresRestartTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ConcurrentBag<string> _restErrors = [];
    private readonly ConcurrentBag<string> _hubErrors = [];
    private ThrowawayPostgres _pg = null!;
    private ProcessStack _stack = null!;

    public async Task InitializeAsync()
    {
        _pg = await ThrowawayPostgres.StartAsync(fsync: true);
        _stack = await ProcessStack.StartAsync(await _pg.CreateDatabaseAsync("chat"), fronts: 1);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public Task Sends_fail_retryably_while_postgres_is_down_and_succeed_again_after() =>
        OutageAsync(_pg.StopServerAsync);

    [Fact]
    public async Task No_acknowledged_message_is_lost_when_postgres_crashes_under_load_with_fsync_on()
    {
        Assert.Equal("on", await _pg.SettingAsync("fsync"));
        Assert.Equal("on", await _pg.SettingAsync("synchronous_commit"));
        await OutageAsync(_pg.CrashServerAsync);
    }

    /// <summary>Senders on REST and the hub; the server goes away by <paramref name="stopServer"/> and comes back; every acknowledged message is stored, in order.</summary>
    private async Task OutageAsync(Func<Task> stopServer)
    {
        var threads = new List<(long Id, string Token, bool Hub)>();
        for (var i = 0; i < 4; i++)
        {
            var (id, clientToken, _) = await ChatTraffic.NewThreadAsync(_stack);
            threads.Add((id, clientToken, i % 2 == 0));
        }
        var acked = threads.ToDictionary(t => t.Id, _ => new ConcurrentBag<Acked>());
        using var stop = new CancellationTokenSource();
        var senders = threads.Select(t => Task.Run(() => t.Hub ? HubLoopAsync(t.Id, t.Token, acked[t.Id], stop.Token) : RestLoopAsync(t.Id, t.Token, acked[t.Id], stop.Token))).ToArray();
        try
        {
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count >= 3), TimeSpan.FromSeconds(30), "load to flow");

            await stopServer();
            var stoppedAt = DateTime.UtcNow;
            await Eventually.Holds(() => _restErrors.Any(e => e.StartsWith("503 ", StringComparison.Ordinal)) && _hubErrors.Any(e => e.StartsWith("503: ", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "REST and hub sends to be refused with 503 during the outage");
            // Down long enough for every sender to retry the same client_message_id several times.
            await Task.Delay(TimeSpan.FromSeconds(5));

            await _pg.StartServerAsync();
            var startedAt = DateTime.UtcNow;
            // The same silo and front, untouched: every sender gets through again.
            await Eventually.Holds(() => threads.All(t => acked[t.Id].Count(a => a.At > startedAt) >= 3), TimeSpan.FromSeconds(40),
                "every sender (hub and REST) to be acknowledged again after PostgreSQL is back");
            output.WriteLine($"outage {(startedAt - stoppedAt).TotalSeconds:F1}s; back after {(threads.Max(t => acked[t.Id].Where(a => a.At > startedAt).Min(a => a.At)) - startedAt).TotalSeconds:F1}s");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        output.WriteLine($"REST refusals: {string.Join(", ", _restErrors.GroupBy(e => e).Select(g => $"{g.Key} ×{g.Count()}"))}");
        output.WriteLine($"hub refusals: {string.Join(", ", _hubErrors.GroupBy(e => e[..Math.Min(e.Length, 40)]).Select(g => $"{g.Key} ×{g.Count()}"))}");
        // The only refusal a client sees is the retryable one: 503 with Retry-After, or the hub's "503: …".
        Assert.All(_restErrors, e => Assert.StartsWith("503 Retry-After", e));
        Assert.All(_hubErrors, e => Assert.StartsWith("503: ", e));
        foreach (var t in threads)
        {
            ChatTraffic.AssertIntact(await ChatTraffic.StoredAsync(_stack.Database, t.Id), acked[t.Id]);
        }
    }

    private async Task RestLoopAsync(long threadId, string token, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        using var http = _stack.Http(0, token);
        await ChatTraffic.RestSendLoopAsync(http, threadId, acked, _restErrors, stop);
    }

    private async Task HubLoopAsync(long threadId, string token, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        await using var hub = await HubClient.ConnectAsync(_stack.Fronts[0], token);
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var message = await hub.SendAsync(threadId, new Dictionary<string, object> { ["message"] = $"message {k}", ["client_message_id"] = $"m{k}" }).WaitAsync(stop);
                    acked.Add(new Acked(k, message.GetProperty("id").GetInt64(), message.GetProperty("seq").GetInt64(), DateTime.UtcNow));
                    break;
                }
                catch (HubException e)
                {
                    _hubErrors.Add(e.Message);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
