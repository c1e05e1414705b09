using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Baselines;

/// <summary>One bare hub child process per chat front, on consecutive ports, so the baseline has the same shape.</summary>
public sealed class BareHubFleet : IAsyncDisposable
{
    private readonly List<ChildProcess> _children = [];

    public List<Uri> Fronts { get; } = [];

    public List<WatchedProcess> Processes { get; } = [];

    public static async Task<BareHubFleet> StartAsync(int count, int firstPort, CancellationToken ct)
    {
        var fleet = new BareHubFleet();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < count; i++)
        {
            var port = firstPort + i;
            var child = ChildProcess.Start(true, "baseline-hub", "--port", port.ToString(CultureInfo.InvariantCulture));
            fleet._children.Add(child);
            var uri = new Uri($"http://127.0.0.1:{port}/");
            var deadline = Stopwatch.GetTimestamp();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync(new Uri(uri, "health/ready"), ct)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                }
                if (Stopwatch.GetElapsedTime(deadline) > TimeSpan.FromSeconds(30))
                {
                    await fleet.DisposeAsync();
                    throw new InvalidOperationException($"bare hub on port {port} did not start");
                }
                await Task.Delay(200, ct);
            }
            fleet.Fronts.Add(uri);
            fleet.Processes.Add(new WatchedProcess($"barehub-{i}", child.Pid) { IsServer = true });
        }
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.DisposeAsync();
        }
    }
}
