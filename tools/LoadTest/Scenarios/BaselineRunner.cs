using OrleansChat.LoadTest.Baselines;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>Runs the PostgreSQL and Orleans ping baselines when asked for and configured; failures become notes.</summary>
public static class BaselineRunner
{
    public static async Task<BaselineResult?> PostgresAsync(ScenarioContext ctx, int outstandingSends, CancellationToken ct)
    {
        var o = ctx.Options;
        if (!ctx.WantsBaseline("pg") || o.Database is null)
        {
            return null;
        }
        var concurrency = o.PgConcurrency ?? Math.Clamp(outstandingSends, 1, 100);
        ctx.Progress.Info($"== baseline postgres-insert: {concurrency} connections, {o.BaselineDuration.TotalSeconds:0}s");
        try
        {
            var b = await PostgresInsertBaseline.RunAsync(o.Database, concurrency, o.BaselineDuration, ct);
            ctx.Result.Baselines.Add(b);
            ctx.Progress.Info(string.Create(CultureInfo.InvariantCulture, $"   postgres-insert: {b.Value:#,0} rows/s, p50/p99 {b.Latency.P50Ms:0.0}/{b.Latency.P99Ms:0.0} ms"));
            return b;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ctx.Result.Notes.Add("PostgreSQL baseline failed: " + e.Message);
            return null;
        }
    }

    public static async Task<BaselineResult?> PingAsync(ScenarioContext ctx, int concurrency, CancellationToken ct)
    {
        var o = ctx.Options;
        if (!ctx.WantsBaseline("ping") || o.Redis is null)
        {
            return null;
        }
        concurrency = Math.Clamp(concurrency, 1, 2000);
        ctx.Progress.Info($"== baseline orleans-ping: {concurrency} callers, {o.BaselineDuration.TotalSeconds:0}s");
        try
        {
            var b = await OrleansPingBaseline.RunAsync(o.Redis, o.ClusterId, o.ServiceId, concurrency, o.BaselineDuration, ct);
            ctx.Result.Baselines.Add(b);
            ctx.Progress.Info(string.Create(CultureInfo.InvariantCulture, $"   orleans-ping: {b.Value:#,0} calls/s, p50/p99 {b.Latency.P50Ms:0.0}/{b.Latency.P99Ms:0.0} ms"));
            return b;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ctx.Result.Notes.Add("Orleans ping baseline failed: " + e.Message);
            return null;
        }
    }
}
