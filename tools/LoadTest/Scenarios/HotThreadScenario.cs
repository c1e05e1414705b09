
namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// One thread, many concurrent senders: S service-account connections send into it (closed loop, --in-flight
/// each) while the client and the freelancer are joined and receive. Measures the thread grain's group commit.
/// </summary>
public sealed class HotThreadScenario : IScenario
{
    public string Name => "hot-thread";

    public string Description => "one thread, many concurrent senders: durable msgs/s into one thread";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var senders = o.Senders ?? 64;
        ctx.Result.Settings["senders"] = senders.ToString(CultureInfo.InvariantCulture);
        var chat = await RunTargetAsync(ctx, ctx.Chat, senders, ct);
        Measurement? hub = null;
        if (ctx.WantsBaseline("hub"))
        {
            hub = await RunTargetAsync(ctx, await ctx.BareHubAsync(ct), senders, ct);
        }
        var pg = await BaselineRunner.PostgresAsync(ctx, senders * o.InFlight, ct);
        var r = ctx.Result;
        Comparisons.AtLeast(r, "durable msgs/s into one thread", chat.AcksPerSecond, "msgs/s", "goal", 5_000, "≥ 5,000 msgs/s", goalAbsolute: 5_000);
        Comparisons.AtLeast(r, "one thread vs PostgreSQL single-row INSERT", chat.AcksPerSecond, "msgs/s",
            pg is null ? "postgres-insert (not run)" : $"postgres-insert @{pg.Concurrency} conns", pg?.Value, "(context)");
        Comparisons.AtLeast(r, "one thread vs bare hub", chat.AcksPerSecond, "msgs/s", "bare-hub", hub?.AcksPerSecond, "(context)");
    }

    private static async Task<Measurement> RunTargetAsync(ScenarioContext ctx, Target target, int senderCount, CancellationToken ct)
    {
        var o = ctx.Options;
        var thread = (await ctx.CreateThreadsAsync(target, 1, ct))[0];
        await using var session = ctx.OpenSession(target);
        var receivers = Layouts.Participants(target, [thread]);
        await session.ConnectAsync(receivers, ct);
        var requests = Enumerable.Range(0, senderCount).Select(i =>
        {
            var user = ctx.Users.Create("service");
            return new ConnectRequest(target.FrontFor(i), user.Id, user.Token, thread.Id, session.Pool.Protocol == ClientProtocol.WebSocket);
        }).ToList();
        var slots = Layouts.Senders(requests, await session.ConnectAsync(requests, ct));
        return await session.MeasureAsync(o.Rate is null ? "peak" : "fixed", slots, Layouts.Spec(o, o.Rate, o.RampTo), ct);
    }
}
