
namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Deliveries per second to many connected readers: T threads (default 1), each with S sending connections of its
/// two participants (default 16, i.e. 8 devices each, all joined; closed loop, --in-flight each) and W watching
/// connections (service accounts joined to the thread, default 100). Every message reaches S + W connections.
/// Several sending connections, not several sends in flight on one: the hub runs one invocation per connection
/// at a time (SignalR's MaximumParallelInvocationsPerClient = 1), so one connection sends at most 1/ack-latency.
/// </summary>
public sealed class FanoutScenario : IScenario
{
    public string Name => "fanout";

    public string Description => "deliveries/s to many connected readers of a thread";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var threads = o.Threads ?? 1;
        var watchers = o.Watchers ?? 100;
        var senders = o.Senders ?? 16;
        ctx.Result.Settings["sending_connections_per_thread"] = senders.ToString(CultureInfo.InvariantCulture);
        ctx.Result.Settings["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        ctx.Result.Settings["watchers_per_thread"] = watchers.ToString(CultureInfo.InvariantCulture);
        var chat = await RunTargetAsync(ctx, ctx.Chat, threads, senders, watchers, ct);
        Measurement? hub = null;
        if (ctx.WantsBaseline("hub"))
        {
            hub = await RunTargetAsync(ctx, await ctx.BareHubAsync(ct), threads, senders, watchers, ct);
        }
        var r = ctx.Result;
        Comparisons.AtLeast(r, "deliveries/s", chat.DeliveriesPerSecond, "deliveries/s", "bare-hub", hub?.DeliveriesPerSecond, "≥ 0.5 × bare hub", goalRatio: 0.5);
        Comparisons.AtMost(r, "send→deliver p99", chat.DeliveryLatency.P99Ms, "ms", "bare-hub", hub?.DeliveryLatency.P99Ms, "(context)");
    }

    private static async Task<Measurement> RunTargetAsync(ScenarioContext ctx, Target target, int threadCount, int sendersPerThread, int watchers, CancellationToken ct)
    {
        var o = ctx.Options;
        var threads = await ctx.CreateThreadsAsync(target, threadCount, ct);
        await using var session = ctx.OpenSession(target);
        var participants = threads.SelectMany(t => Enumerable.Range(0, sendersPerThread).Select(i =>
        {
            var user = i % 2 == 0 ? t.Client : t.Freelancer;
            return new ConnectRequest(target.FrontFor(i), user.Id, user.Token, t.Id, true);
        })).ToList();
        var senders = Layouts.Senders(participants, await session.ConnectAsync(participants, ct));
        var watching = threads.SelectMany(t => Enumerable.Range(0, watchers).Select(i =>
        {
            var user = ctx.Users.Create("service");
            return new ConnectRequest(target.FrontFor(i), user.Id, user.Token, t.Id, true);
        })).ToList();
        await session.ConnectAsync(watching, ct);
        return await session.MeasureAsync(o.Rate is null ? "peak" : "fixed", senders, Layouts.Spec(o, o.Rate, o.RampTo), ct);
    }
}
