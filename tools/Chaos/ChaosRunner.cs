
namespace OrleansChat.Chaos;

/// <summary>
/// <c>LoadTest chaos</c>: steady load over every front while faults are injected one after another, then the
/// acknowledged-vs-stored-vs-received comparison. Exit 0 only when nothing acknowledged is missing or duplicated
/// and every fault was recovered from.
/// </summary>
public static class ChaosRunner
{
    public static async Task<int> RunAsync(ChaosOptions options, CancellationToken ct)
    {
        var progress = Console.Out;
        var startedAt = DateTime.UtcNow;
        var tokens = new TokenMinter(options.JwtKey);
        var users = new UserFactory(tokens);
        var log = new ChaosLog();
        var run = Guid.NewGuid().ToString("N")[..8];
        progress.WriteLine($"chaos {run}: {options.Threads} threads, {options.Rate} sends/s over {string.Join(' ', options.Fronts)}; faults {string.Join(',', options.Faults)}");

        List<SimThread> threads;
        using (var provisioner = new ChatProvisioner(options.Fronts[0], tokens, 8))
        {
            var pairs = Enumerable.Range(0, options.Threads).Select(_ => (users.Create("client"), users.Create("freelancer"))).ToList();
            threads = await provisioner.CreateThreadsAsync(pairs, ct);
        }
        var interval = TimeSpan.FromSeconds(options.Threads / options.Rate);
        var receivers = threads.Select((t, i) => new ChaosReceiver(i, t.Id, options.Fronts, t.Freelancer.Token, log)).ToList();
        var senders = threads.Select((t, i) => new ChaosSender(i, t.Id, options.Fronts, t.Client.Token, run, interval, log)).ToList();
        var faults = new List<FaultRecord>();
        try
        {
            foreach (var r in receivers)
            {
                await r.StartAsync(ct);
            }
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var loadStarted = DateTime.UtcNow;
            var load = senders.Select(s => Task.Run(() => s.RunAsync(stopLoad.Token), CancellationToken.None)).ToArray();
            using var ticker = new Timer(_ => progress.WriteLine(
                $"[{DateTime.UtcNow:HH:mm:ss}] acked {log.Acks.Count}, live deliveries {log.Deliveries.Count}, refused/failed attempts {log.Errors.Count}, reconnects {log.Reconnects.Count + senders.Sum(s => s.Reconnects)}"),
                null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

            await Task.Delay(options.Warmup, ct);
            var injector = new FaultInjector(options, progress);
            var slot = options.Faults.Count == 0 ? TimeSpan.Zero
                : TimeSpan.FromTicks(Math.Max((options.Duration - options.Warmup - options.Tail).Ticks / options.Faults.Count, (options.Outage + options.Settle).Ticks));
            foreach (var kind in options.Faults)
            {
                var fault = new FaultRecord { Kind = kind };
                faults.Add(fault);
                var slotEnd = DateTime.UtcNow + slot;
                await injector.InjectAsync(fault, ct);
                if (!ChaosOptions.SelfHealingFaults.Contains(kind))
                {
                    await Task.Delay(options.Outage, ct);
                }
                await injector.HealAsync(fault, ct);
                // Whatever is left of the slot (at least a minimum) lets the cluster settle before the next fault,
                // and the next fault waits until every thread was acknowledged since this one cleared (a minute at
                // most), so one fault's recovery never runs into the next fault's window.
                var rest = slotEnd - DateTime.UtcNow;
                await Task.Delay(rest > options.Settle ? rest : options.Settle, ct);
                await WaitForRecoveryAsync(log, fault.ClearedAt, threads.Count, ct);
            }
            var remaining = loadStarted + options.Duration - DateTime.UtcNow;
            await Task.Delay(remaining > options.Tail ? remaining : options.Tail, ct);

            progress.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] stopping the load; waiting for quiescence and catching every receiver up");
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
            var loadEnded = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            foreach (var r in receivers)
            {
                await CatchUpAsync(r, ct);
            }
            var verdict = await ChaosAnalysis.VerifyAsync(options.Database, senders, receivers, log, faults, loadEnded, ct);
            var (json, md) = ChaosReport.Write(options, verdict, startedAt, loadEnded - loadStarted);
            progress.WriteLine();
            progress.Write(ChaosReport.Markdown(options, verdict, startedAt, loadEnded - loadStarted));
            progress.WriteLine($"results: {json}");
            progress.WriteLine($"         {md}");
            return verdict.Passed ? 0 : 1;
        }
        finally
        {
            foreach (var s in senders)
            {
                await s.DisposeAsync();
            }
            foreach (var r in receivers)
            {
                await r.DisposeAsync();
            }
        }
    }

    private static async Task WaitForRecoveryAsync(ChaosLog log, DateTime clearedAt, int threads, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && log.Acks.Where(a => a.At > clearedAt).Select(a => a.Thread).Distinct().Count() < threads)
        {
            await Task.Delay(250, ct);
        }
    }

    /// <summary>Retries for a minute: the last fault's process may still be rejoining.</summary>
    private static async Task CatchUpAsync(ChaosReceiver receiver, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await receiver.CatchUpAsync(ct);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(1000, ct);
            }
        }
    }
}
