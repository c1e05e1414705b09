using OrleansChat.LoadTest.Setup;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Send latency into a thread with a long stored history (default 1,000,000 messages) against an empty thread, at
/// the same fixed rate each (default 200/s), measured at the same time (two sessions side by side), so machine
/// noise hits both alike. The baseline is the empty thread, measured in the same run.
/// </summary>
public sealed class HistoryScenario : IScenario
{
    public string Name => "history";

    public string Description => "send latency into a thread with 1,000,000 stored messages vs an empty thread";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        var n = o.HistoryMessages ?? 1_000_000;
        var rate = o.Rate ?? 200;
        ctx.Result.Settings["history_messages"] = n.ToString(CultureInfo.InvariantCulture);
        var empty = (await ctx.CreateThreadsAsync(ctx.Chat, 1, ct))[0];
        var big = await BigThreadAsync(ctx, n, ct);
        await using var emptySession = ctx.OpenSession(ctx.Chat);
        await using var bigSession = ctx.OpenSession(ctx.Chat);
        var emptyRequests = Layouts.Participants(ctx.Chat, [empty]);
        var bigRequests = Layouts.Participants(ctx.Chat, [big]);
        var emptySenders = Layouts.Senders(emptyRequests, await emptySession.ConnectAsync(emptyRequests, ct));
        var bigSenders = Layouts.Senders(bigRequests, await bigSession.ConnectAsync(bigRequests, ct));
        // The first send into each thread pays for the grain learning the log (activation or a seq conflict →
        // re-derive last seq and unread counts from the table): reported on its own, kept out of the phases.
        var emptyFirst = await FirstSendAsync(ctx, emptySenders[0], ct);
        var bigFirst = await FirstSendAsync(ctx, bigSenders[0], ct);
        ctx.Progress.Info(string.Create(CultureInfo.InvariantCulture, $"   first send: empty thread {emptyFirst:0} ms, thread with {n:#,0} messages {bigFirst:0} ms"));
        var emptyRun = emptySession.MeasureAsync("empty-thread", emptySenders, Layouts.Spec(o, rate), ct);
        var bigRun = bigSession.MeasureAsync($"thread-{n / 1000}k", bigSenders, Layouts.Spec(o, rate), ct);
        var emptyPhase = await emptyRun;
        var bigPhase = await bigRun;
        emptyPhase.Extra["first_send_ms"] = Math.Round(emptyFirst, 1);
        bigPhase.Extra["first_send_ms"] = Math.Round(bigFirst, 1);
        var r = ctx.Result;
        Comparisons.AtMost(r, $"send→ack p50, thread with {n:#,0} messages", bigPhase.AckLatency.P50Ms, "ms", "empty thread", emptyPhase.AckLatency.P50Ms,
            "within 10 % of the empty thread", goalRatio: 1.10);
        Comparisons.AtMost(r, $"send→ack p99, thread with {n:#,0} messages", bigPhase.AckLatency.P99Ms, "ms", "empty thread", emptyPhase.AckLatency.P99Ms, "(context)");
        Comparisons.AtMost(r, $"first send after seeding (grain re-derives seq + unread counts), thread with {n:#,0} messages", bigFirst, "ms", "empty thread", emptyFirst, "(context)");
        Comparisons.AtMost(r, $"send→deliver p50, thread with {n:#,0} messages", bigPhase.DeliveryLatency.P50Ms, "ms", "empty thread", emptyPhase.DeliveryLatency.P50Ms, "(context)");
    }

    private static async Task<double> FirstSendAsync(ScenarioContext ctx, SenderSlot slot, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await slot.Connection.SendAsync(slot.ThreadId, "first", ctx.Stamps.Next(started)).WaitAsync(TimeSpan.FromMinutes(5), ct);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<SimThread> BigThreadAsync(ScenarioContext ctx, int n, CancellationToken ct)
    {
        var o = ctx.Options;
        var stateFile = Path.Combine(o.OutputDir, $"history-seed-{n}.json");
        using var chat = new ChatProvisioner(ctx.Chat.Fronts[0], ctx.Tokens, o.SetupConcurrency);
        if (await HistorySeeder.FindReusableAsync(chat, ctx.Tokens, stateFile, n, ct) is { } found)
        {
            ctx.Progress.Info($"   reusing thread {found.ThreadId} with {found.Messages:#,0} stored messages ({stateFile})");
            return new SimThread(found.ThreadId,
                new SimUser(found.ClientId, found.ClientUsername, "client", ctx.Tokens.Mint(found.ClientId, found.ClientUsername, "client")),
                new SimUser(found.FreelancerId, found.FreelancerUsername, "freelancer", ctx.Tokens.Mint(found.FreelancerId, found.FreelancerUsername, "freelancer")));
        }
        var thread = (await ctx.CreateThreadsAsync(ctx.Chat, 1, ct))[0];
        var started = Stopwatch.GetTimestamp();
        ctx.Progress.Info($"   seeding thread {thread.Id} with {n:#,0} messages");
        await HistorySeeder.SeedAsync(chat, thread, n, done => ctx.Progress.Info($"   seeded {done:#,0}/{n:#,0}"), ct);
        ctx.Progress.Info($"   seeded in {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s");
        Directory.CreateDirectory(o.OutputDir);
        await File.WriteAllTextAsync(stateFile, JsonSerializer.Serialize(new HistorySeeder.Seeded(thread.Id, thread.Client.Id, thread.Client.Username,
            thread.Freelancer.Id, thread.Freelancer.Username, n)), ct);
        return thread;
    }
}
