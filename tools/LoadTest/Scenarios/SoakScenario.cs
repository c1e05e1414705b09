namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Fixed rate (default 1,000/s) over T threads (default 200) for the whole --duration, sampled in windows
/// (a twelfth of the run, at least 5 s): throughput, send→deliver p50/p99 and server memory per window. The
/// baseline is the run's own first window: drift = last window against first.
/// </summary>
public sealed class SoakScenario : IScenario
{
    public string Name => "soak";

    public string Description => "fixed rate for N minutes: memory and latency drift";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var threads = o.Threads ?? 200;
        var rate = o.Rate ?? 1000;
        ctx.Result.Settings["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        var list = await ctx.CreateThreadsAsync(ctx.Chat, threads, ct);
        await using var session = ctx.OpenSession(ctx.Chat);
        var requests = Layouts.Participants(ctx.Chat, list);
        var senders = Layouts.Senders(requests, await session.ConnectAsync(requests, ct));
        var window = Math.Max(5, o.Duration.TotalSeconds / 12);
        var m = await session.MeasureAsync("soak", senders, Layouts.Spec(o, rate, windowSeconds: window), ct);
        var r = ctx.Result;
        if (m.Windows.Count >= 2)
        {
            var first = m.Windows[0];
            var last = m.Windows[^1];
            var minutes = Math.Max(1e-6, (last.AtSeconds - first.AtSeconds) / 60);
            m.Extra["rss_growth_mb_per_minute"] = Math.Round((last.ServerRssMb - first.ServerRssMb) / minutes, 2);
            Comparisons.AtMost(r, "send→deliver p99, last window", last.DeliveryP99Ms, "ms", "first window", first.DeliveryP99Ms, "(drift)");
            Comparisons.AtMost(r, "server RSS, last window", last.ServerRssMb, "MiB", "first window", first.ServerRssMb, "(drift)");
            Comparisons.AtLeast(r, "acks/s, last window", last.AcksPerSecond, "msgs/s", "first window", first.AcksPerSecond, "(drift)");
        }
        Comparisons.AtLeast(r, "acks/s over the run vs target rate", m.AcksPerSecond, "msgs/s", "target rate", rate, "≥ 0.99 × target", goalRatio: 0.99);
    }
}
