using OrleansChat.LoadTest.Baselines;
using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Holds N idle hub connections (distinct users, nothing joined) and reports the server processes' resident memory
/// growth per connection, next to the bare hub holding the same N. Above ~9,000 connections the sockets are held by
/// child client processes (the open-file limit is 20,000 per process); 20,000 needs two fronts (CHAT_FRONTS=2).
/// </summary>
public sealed class IdleConnectionsScenario : IScenario
{
    private const int PerProcess = 9_000;

    public string Name => "idle-connections";

    public string Description => "hold N idle connections: server memory per connection";

    public async Task RunAsync(ScenarioContext ctx, CancellationToken ct)
    {
        var o = ctx.Options;
        if (o.Protocol == ClientProtocol.WebSocket)
        {
            throw new ArgumentException("idle-connections holds hub connections (json or messagepack); the WebSocket protocol needs a thread per socket");
        }
        var n = o.Connections ?? 20_000;
        ctx.Result.Settings["connections"] = n.ToString(CultureInfo.InvariantCulture);
        ctx.Result.Settings["fronts"] = o.Fronts.Count.ToString(CultureInfo.InvariantCulture);
        if (n / o.Fronts.Count > 18_000)
        {
            ctx.Result.Notes.Add($"{n} connections over {o.Fronts.Count} front(s) exceeds the 20,000 open files per process; start more fronts (CHAT_FRONTS=2).");
        }
        var chat = await HoldAsync(ctx, ctx.Chat, n, ct);
        Measurement? hub = null;
        if (ctx.WantsBaseline("hub"))
        {
            hub = await HoldAsync(ctx, await ctx.BareHubAsync(ct), n, ct);
        }
        var r = ctx.Result;
        Comparisons.AtLeast(r, "idle connections held", chat.ConnectionsHeld, "connections", "requested", n, $"{n:#,0} held", goalAbsolute: n);
        Comparisons.AtMost(r, "server memory per idle connection (fronts + silos)", chat.Extra.GetValueOrDefault("kib_per_connection_server"), "KiB",
            "bare-hub", hub?.Extra.GetValueOrDefault("kib_per_connection_server"), "≤ 1.2 × bare hub", goalRatio: 1.2);
        Comparisons.AtMost(r, "front memory per idle connection (fronts only)", chat.Extra.GetValueOrDefault("kib_per_connection_fronts"), "KiB",
            "bare-hub", hub?.Extra.GetValueOrDefault("kib_per_connection_server"), "(context)");
    }

    private static async Task<Measurement> HoldAsync(ScenarioContext ctx, Target target, int n, CancellationToken ct)
    {
        var o = ctx.Options;
        var servers = target.Processes.Where(p => p.IsServer).ToList();
        var fronts = servers.Where(p => p.Name.StartsWith("front-", StringComparison.Ordinal) || p.Name.StartsWith("barehub-", StringComparison.Ordinal)).ToList();
        var before = servers.ToDictionary(p => p.Name, p => p.RssMb());
        await using var session = ctx.OpenSession(target);
        var children = o.ClientProcesses ?? (n > PerProcess ? (n + PerProcess - 1) / PerProcess : 0);
        ctx.Progress.Info($"== idle-connections@{target.Name}: opening {n:#,0} connections" + (children > 0 ? $" from {children} client processes" : ""));
        var started = Stopwatch.GetTimestamp();
        var held = 0;
        var failed = 0;
        var holders = new List<ChildProcess>();
        try
        {
            if (children == 0)
            {
                var requests = Enumerable.Range(0, n).Select(i =>
                {
                    var user = ctx.Users.Create("client");
                    return new ConnectRequest(target.FrontFor(i), user.Id, user.Token, 0, false);
                }).ToList();
                await session.ConnectAsync(requests, ct);
                held = session.Metrics.ConnectionsHeld;
                failed = session.Metrics.ConnectionsFailed;
            }
            else
            {
                (held, failed) = await OpenInChildrenAsync(ctx, target, n, children, holders, ct);
            }
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            session.Sampler.BeginWindow();
            ctx.Progress.Info($"   holding {held:#,0} idle connections for {o.Duration.TotalSeconds:0}s ({failed} failed)");
            var hold = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(hold) < o.Duration)
            {
                await Task.Delay(1000, ct);
                ctx.Progress.Info($"   [{target.Name} hold {Stopwatch.GetElapsedTime(hold).TotalSeconds:0}/{o.Duration.TotalSeconds:0}s] {session.Sampler.Brief()}");
            }
            var after = servers.ToDictionary(p => p.Name, p => p.RssMb());
            var serverDelta = servers.Sum(p => after[p.Name] - before[p.Name]);
            var frontDelta = fronts.Sum(p => after[p.Name] - before[p.Name]);
            var m = new Measurement
            {
                Name = "idle",
                Target = target.Name,
                Protocol = session.Pool.Protocol.ToString(),
                Mode = "hold",
                DurationSeconds = o.Duration.TotalSeconds,
                ConnectionsHeld = held,
                ConnectionsFailed = failed,
                Errors = new Dictionary<string, long>(session.Metrics.Errors),
                Processes = session.Sampler.Window(),
            };
            m.Extra["connect_seconds"] = Math.Round(connectSeconds, 1);
            m.Extra["connects_per_second"] = Math.Round(held / Math.Max(0.001, connectSeconds), 1);
            m.Extra["server_rss_mb_before"] = Math.Round(before.Values.Sum(), 1);
            m.Extra["server_rss_mb_after"] = Math.Round(after.Values.Sum(), 1);
            m.Extra["kib_per_connection_server"] = held == 0 ? 0 : Math.Round(serverDelta * 1024 / held, 2);
            m.Extra["kib_per_connection_fronts"] = held == 0 ? 0 : Math.Round(frontDelta * 1024 / held, 2);
            if (failed > 0 && session.Metrics.Errors.IsEmpty)
            {
                m.Errors["connect failed (child process)"] = failed;
            }
            ctx.Result.Measurements.Add(m);
            ctx.Progress.Info(string.Create(CultureInfo.InvariantCulture,
                $"   idle@{target.Name}: {held:#,0} held, server RSS {before.Values.Sum():0} → {after.Values.Sum():0} MiB = {m.Extra["kib_per_connection_server"]:0.0} KiB/connection (fronts only {m.Extra["kib_per_connection_fronts"]:0.0})"));
            return m;
        }
        finally
        {
            foreach (var h in holders)
            {
                await h.DisposeAsync();
            }
        }
    }

    private static async Task<(int Held, int Failed)> OpenInChildrenAsync(ScenarioContext ctx, Target target, int n, int children, List<ChildProcess> holders, CancellationToken ct)
    {
        var o = ctx.Options;
        var state = new (int Held, int Failed, bool Done)[children];
        for (var i = 0; i < children; i++)
        {
            var index = i;
            var count = (n / children) + (i < n % children ? 1 : 0);
            // Every id must stay a valid user id (below 2^53): a range inside this run's block, not a multiple of it.
            var userBase = ctx.Users.ChildRangeStart(i);
            var child = ChildProcess.Start(false, "hold", "--fronts", string.Join(',', target.Fronts), "--protocol", ctx.ProtocolFor(target) == ClientProtocol.SignalRMessagePack ? "messagepack" : "json",
                "--jwt-key", o.JwtKey, "--user-base", userBase.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture));
            child.Line += line =>
            {
                var parts = line.Split(' ');
                if (parts.Length >= 6 && parts[0] == "held")
                {
                    state[index] = (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture), parts[5] == "1");
                }
            };
            holders.Add(child);
        }
        var started = Stopwatch.GetTimestamp();
        while (!state.All(s => s.Done) && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(1000, ct);
            ctx.Progress.Info($"   connecting to {target.Name}: {state.Sum(s => s.Held):#,0}/{n:#,0} open, {state.Sum(s => s.Failed)} failed");
        }
        await Task.Delay(1500, ct);
        return (state.Sum(s => s.Held), state.Sum(s => s.Failed));
    }
}
