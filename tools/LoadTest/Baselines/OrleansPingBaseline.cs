using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansChat.GrainInterfaces;
using OrleansChat.LoadTest.Metrics;

namespace OrleansChat.LoadTest.Baselines;

/// <summary>Grain calls per second to the silo's stateless PingGrain from an Orleans client in this process.</summary>
public static class OrleansPingBaseline
{
    public static async Task<BaselineResult> RunAsync(string redis, string clusterId, string serviceId, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.UseRedisClustering(redis);
        });
        using var host = builder.Build();
        await host.StartAsync(ct);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var histogram = new LatencyHistogram();
        long count = 0;
        long errors = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var warm = TimeSpan.FromSeconds(1);
        stop.CancelAfter(duration + warm);
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var grain = grains.GetGrain<IPingGrain>(w % 16);
            while (!stop.IsCancellationRequested)
            {
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await grain.Ping(w);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
                if (Stopwatch.GetElapsedTime(start) > warm)
                {
                    Interlocked.Increment(ref count);
                    histogram.RecordSince(begin, Stopwatch.GetTimestamp());
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var measured = Stopwatch.GetElapsedTime(start) - warm;
        await host.StopAsync(CancellationToken.None);
        return new BaselineResult
        {
            Name = "orleans-ping",
            Description = $"Orleans client → stateless PingGrain on the same silo, {concurrency} concurrent callers",
            Value = Math.Round(count / measured.TotalSeconds, 1),
            Unit = "calls/s",
            Concurrency = concurrency,
            Latency = histogram.Summarize(),
            Errors = errors,
        };
    }
}
