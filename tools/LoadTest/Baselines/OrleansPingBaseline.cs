using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansChat.GrainInterfaces;

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
        using var meter = new CallMeter(duration, ct);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var grain = grains.GetGrain<IPingGrain>(w % 16);
            while (!meter.Stopped)
            {
                await meter.MeasureAsync(() => grain.Ping(w), e => e is OrleansException or TimeoutException);
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var perSecond = meter.PerSecond;
        await host.StopAsync(CancellationToken.None);
        return new BaselineResult
        {
            Name = "orleans-ping",
            Description = $"Orleans client → stateless PingGrain on the same silo, {concurrency} concurrent callers",
            Value = perSecond,
            Unit = "calls/s",
            Concurrency = concurrency,
            Latency = meter.Histogram.Summarize(),
            Errors = meter.Errors,
        };
    }
}
