using OrleansChat.LoadTest.Clients;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Deliveries per second to many connected readers: T threads (default 1), each with its two participants sending
/// (closed loop, default 8 in flight each) and W watching connections (service accounts joined to the thread,
/// default 100). Every message reaches 2 + W connections.
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
        ctx.Result.Settings["threads"] = threads.ToString(CultureInfo.InvariantCulture);
        ctx.Result.Settings["watchers_per_thread"] = watchers.ToString(CultureInfo.InvariantCulture);
        var chat = await RunTargetAsync(ctx, ctx.Chat, threads, watchers, ct);
        Measurement? hub = null;
        if (ctx.WantsBaseline("hub"))
        {
            hub = await RunTargetAsync(ctx, await ctx.BareHubAsync(ct), threads, watchers, ct);
        }
        var r = ctx.Result;
        Comparisons.AtLeast(r, "deliveries/s", chat.DeliveriesPerSecond, "deliveries/s", "bare-hub", hub?.DeliveriesPerSecond, "≥ 0.5 × bare hub", goalRatio: 0.5);
        Comparisons.AtMost(r, "send→deliver p99", chat.DeliveryLatency.P99Ms, "ms", "bare-hub", hub?.DeliveryLatency.P99Ms, "(context)");
    }

    private static async Task<Measurement> RunTargetAsync(ScenarioContext ctx, Target target, int threadCount, int watchers, CancellationToken ct)
    {
        var o = ctx.Options;
        var threads = await ctx.CreateThreadsAsync(target, threadCount, ct);
        await using var session = ctx.OpenSession(target);
        var participants = Layouts.Participants(target, threads);
        var senders = Layouts.Senders(participants, await session.ConnectAsync(participants, ct));
        var watching = threads.SelectMany(t => Enumerable.Range(0, watchers).Select(i =>
        {
            var user = ctx.Users.Create("service");
            return new ConnectRequest(target.FrontFor(i), user.Id, user.Token, t.Id, true);
        })).ToList();
        await session.ConnectAsync(watching, ct);
        var inFlight = o.InFlight > 1 ? o.InFlight : 8;
        return await session.MeasureAsync(o.Rate is null ? "peak" : "fixed", senders, Layouts.Spec(o, o.Rate, o.RampTo, inFlight), ct);
    }
}
