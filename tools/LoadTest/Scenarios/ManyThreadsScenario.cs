namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// T threads × 2 participants, all connected and joined. Phase "peak": closed loop, every connection keeps
/// --in-flight sends outstanding → durable acks/s. Phase "latency": fixed rate (half the goal, 5,000/s, or half the
/// peak if lower) → send→deliver percentiles. The bare hub runs the same two phases; PostgreSQL's single-row
/// INSERT rate and the Orleans ping rate are measured at the same concurrency. With <c>--protocol websocket</c> the chat
/// runs both phases again over its SignalR hub (JSON), so the seed's protocol is compared with the hub path in one run.
/// </summary>
public sealed class ManyThreadsScenario : IScenario
{
    public string Name => "many-threads";

    public string Description => "T threads × 2 participants, all connected: durable msgs/s and send→deliver latency";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var threads = o.Threads ?? 1000;
        ctx.Result.Settings["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        ctx.Result.Settings["connections"] = (threads * 2).ToString(CultureInfo.InvariantCulture);
        var (peak, latency) = await RunTargetAsync(ctx, ctx.Chat, threads, null, ct);
        var outstanding = threads * 2 * o.InFlight;

        Measurement? hubPeak = null, hubLatency = null;
        if (ctx.WantsBaseline("hub"))
        {
            (hubPeak, hubLatency) = await RunTargetAsync(ctx, await ctx.BareHubAsync(ct), threads, latency?.TargetRate, ct);
        }
        Measurement? hubPathPeak = null, hubPathLatency = null;
        if (o.Protocol == ClientProtocol.WebSocket)
        {
            (hubPathPeak, hubPathLatency) = await RunTargetAsync(ctx, ctx.Chat, threads, latency?.TargetRate, ct, ClientProtocol.SignalRJson);
        }
        var pg = await BaselineRunner.PostgresAsync(ctx, outstanding, ct);
        var ping = await BaselineRunner.PingAsync(ctx, outstanding, ct);

        var r = ctx.Result;
        if (peak is not null)
        {
            Comparisons.AtLeast(r, "durable msgs/s (closed loop)", peak.AcksPerSecond, "msgs/s", "goal", 10_000, "≥ 10,000 msgs/s", goalAbsolute: 10_000);
            Comparisons.AtLeast(r, "durable msgs/s vs PostgreSQL single-row INSERT", peak.AcksPerSecond, "msgs/s",
                pg is null ? "postgres-insert (not run)" : $"postgres-insert @{pg.Concurrency} conns", pg?.Value, "≥ 1.2 × PostgreSQL", goalRatio: 1.2);
            Comparisons.AtLeast(r, "msgs/s vs bare hub (no storage)", peak.AcksPerSecond, "msgs/s", "bare-hub", hubPeak?.AcksPerSecond, "≥ 0.5 × bare hub", goalRatio: 0.5);
            if (hubPathPeak is not null)
            {
                Comparisons.AtLeast(r, "WebSocket protocol msgs/s vs the chat's hub path", peak.AcksPerSecond, "msgs/s", "chat over SignalR JSON",
                    hubPathPeak.AcksPerSecond, "≥ 1 × the hub path", goalRatio: 1.0);
            }
            Comparisons.AtLeast(r, "msgs/s vs Orleans ping calls/s", peak.AcksPerSecond, "msgs/s", ping is null ? "orleans-ping (not run)" : $"orleans-ping @{ping.Concurrency}", ping?.Value, "(context)");
        }
        if (latency is not null)
        {
            Comparisons.AtMost(r, $"send→deliver p99 @ {latency.TargetRate:0}/s", latency.DeliveryLatency.P99Ms, "ms", "bare-hub same rate",
                hubLatency?.DeliveryLatency.P99Ms, "≤ 50 ms", goalAbsolute: 50);
            Comparisons.AtMost(r, $"send→deliver p50 @ {latency.TargetRate:0}/s", latency.DeliveryLatency.P50Ms, "ms", "bare-hub same rate",
                hubLatency?.DeliveryLatency.P50Ms, "(context)");
            if (hubPathLatency is not null)
            {
                Comparisons.AtMost(r, $"WebSocket send→deliver p99 @ {latency.TargetRate:0}/s vs the chat's hub path", latency.DeliveryLatency.P99Ms, "ms",
                    "chat over SignalR JSON, same rate", hubPathLatency.DeliveryLatency.P99Ms, "(context)");
            }
        }
    }

    private static async Task<(Measurement? Peak, Measurement? Latency)> RunTargetAsync(ScenarioContext ctx, Target target, int threadCount, double? latencyRate,
        CancellationToken ct, ClientProtocol? protocol = null)
    {
        var o = ctx.Options;
        var threads = await ctx.CreateThreadsAsync(target, threadCount, ct);
        await using var session = ctx.OpenSession(target, protocol);
        var requests = Layouts.Participants(target, threads);
        var senders = Layouts.Senders(requests, await session.ConnectAsync(requests, ct));
        if (o.Rate is { } fixedRate)
        {
            var m = await session.MeasureAsync(o.RampTo is null ? "fixed" : "ramp", senders, Layouts.Spec(o, fixedRate, o.RampTo), ct);
            return (null, m);
        }
        var peak = await session.MeasureAsync("peak", senders, Layouts.Spec(o), ct);
        var rate = latencyRate ?? o.LatencyRate ?? Math.Max(1, Math.Min(5000, Math.Round(peak.AcksPerSecond / 2)));
        var latency = await session.MeasureAsync("latency", senders, Layouts.Spec(o, rate), ct);
        return (peak, latency);
    }
}
