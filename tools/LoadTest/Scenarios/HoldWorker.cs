using OrleansChat.LoadTest.Metrics;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// `LoadTest hold ...`: a child client process that opens N idle hub connections (users base+1 … base+N, spread over
/// the fronts), prints "held H failed F" once a second and closes them when its stdin closes. One process may hold
/// at most ~20,000 sockets (open-file limit), so idle-connections spreads large counts over several of these.
/// </summary>
public static class HoldWorker
{
    public static async Task<int> RunAsync(IReadOnlyList<Uri> fronts, ClientProtocol protocol, string jwtKey, long userBase, int count)
    {
        var metrics = new RunMetrics();
        var tokens = new TokenMinter(jwtKey);
        await using var pool = new ConnectionPool(metrics, protocol);
        var requests = Enumerable.Range(1, count)
            .Select(i => new ConnectRequest(fronts[i % fronts.Count], userBase + i, tokens.Mint(userBase + i, $"lti{userBase + i}", "client"), 0, false))
            .ToList();
        var stdinClosed = Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        });
        var open = pool.OpenManyAsync(requests, 64, CancellationToken.None);
        while (!stdinClosed.IsCompleted)
        {
            Console.WriteLine($"held {metrics.ConnectionsHeld} failed {metrics.ConnectionsFailed} done {(open.IsCompleted ? 1 : 0)}");
            await Task.WhenAny(stdinClosed, Task.Delay(1000));
        }
        await open;
        return 0;
    }
}
