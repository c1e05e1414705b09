using OrleansChat.LoadTest.Metrics;
using OrleansChat.LoadTest.Reporting;
using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>
/// Runs one measured phase: warm-up (not counted), then the measured window with a progress line each second,
/// then a short drain. Closed loop: each sender awaits its ack before the next send (latency from the real send).
/// Fixed rate / ramp: a pacer thread dispatches message k at its intended time and latency counts from there.
/// </summary>
public sealed class Driver(RunMetrics metrics, ProcessSampler sampler, MessageStamp stamps, ProgressLine progress)
{
    public async Task<Measurement> RunAsync(string name, string target, IReadOnlyList<SenderSlot> senders, DriveSpec spec, CancellationToken ct)
    {
        if (senders.Count == 0)
        {
            throw new InvalidOperationException($"{name}@{target}: no sending connection is open (connect errors: {string.Join(", ", metrics.Errors.Select(e => $"{e.Key} × {e.Value}"))})");
        }
        var text = new string('x', Math.Max(1, spec.MessageBytes));
        metrics.Recording = false;
        metrics.ResetCounters();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loops = new List<Task>();
        Thread? pacer = null;
        if (spec.Rate is { } rate)
        {
            var total = spec.Warmup + spec.Duration;
            pacer = new Pacer(rate, spec.RampTo, total).Start((k, intended) =>
            {
                if (metrics.InFlight >= spec.MaxOutstanding)
                {
                    metrics.Error("client backlog (dropped)");
                    return;
                }
                var slot = senders[(int)(k % senders.Count)];
                metrics.SendStarted();
                ThreadPool.UnsafeQueueUserWorkItem(_ => _ = SendOneAsync(slot, text, intended), null);
            }, stop.Token);
        }
        else
        {
            foreach (var slot in senders)
            {
                for (var i = 0; i < spec.InFlight; i++)
                {
                    loops.Add(Task.Run(() => ClosedLoopAsync(slot, text, stop.Token), CancellationToken.None));
                }
            }
        }

        progress.Phase(name, target, spec);
        await WaitAsync(spec.Warmup, ct, () => progress.Warmup(metrics, sampler));
        metrics.ResetCounters();
        sampler.BeginWindow();
        var start = Stopwatch.GetTimestamp();
        metrics.Recording = true;
        var windows = new List<WindowSample>();
        var windowStart = start;
        long windowAcks = 0;
        long windowErrors = 0;
        while (Stopwatch.GetElapsedTime(start) < spec.Duration && !ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(1, (spec.Duration - Stopwatch.GetElapsedTime(start)).TotalMilliseconds))), ct);
            progress.Tick(Stopwatch.GetElapsedTime(start), spec.Duration, metrics, sampler);
            if (spec.WindowSeconds > 0 && Stopwatch.GetElapsedTime(windowStart).TotalSeconds >= spec.WindowSeconds - 0.01)
            {
                var acks = metrics.Acked;
                var errors = metrics.ErrorTotal;
                windows.Add(new WindowSample
                {
                    AtSeconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 1),
                    AcksPerSecond = Math.Round((acks - windowAcks) / Stopwatch.GetElapsedTime(windowStart).TotalSeconds, 1),
                    DeliveryP50Ms = metrics.WindowDeliveryLatency.PercentileMicros(50) / 1000.0,
                    DeliveryP99Ms = metrics.WindowDeliveryLatency.PercentileMicros(99) / 1000.0,
                    ServerRssMb = Math.Round(sampler.ServerRssMb(), 1),
                    Errors = errors - windowErrors,
                });
                metrics.WindowDeliveryLatency.Reset();
                windowStart = Stopwatch.GetTimestamp();
                windowAcks = acks;
                windowErrors = errors;
            }
        }
        metrics.Recording = false;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var measurement = new Measurement
        {
            Name = name,
            Target = target,
            Mode = spec.Mode,
            TargetRate = spec.Rate,
            DurationSeconds = Math.Round(elapsed, 2),
            Sent = metrics.Sent,
            Acked = metrics.Acked,
            Delivered = metrics.DeliveredCount,
            OtherEvents = metrics.OtherEvents,
            AcksPerSecond = Math.Round(metrics.Acked / elapsed, 1),
            DeliveriesPerSecond = Math.Round(metrics.DeliveredCount / elapsed, 1),
            AckLatency = metrics.AckLatency.Summarize(),
            DeliveryLatency = metrics.DeliveryLatency.Summarize(),
            Errors = new Dictionary<string, long>(metrics.Errors),
            ConnectionsHeld = metrics.ConnectionsHeld,
            ConnectionsFailed = metrics.ConnectionsFailed,
            SeqInversions = metrics.SeqInversions,
            SeqMissing = metrics.SeqMissing,
            Processes = sampler.Window(),
            Windows = windows,
        };
        progress.Done(measurement);

        await stop.CancelAsync();
        pacer?.Join();
        // Drain: let outstanding sends finish (not counted) so the next phase starts clean.
        var drain = Stopwatch.GetTimestamp();
        while (metrics.InFlight > 0 && Stopwatch.GetElapsedTime(drain) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, CancellationToken.None);
        }
        await Task.WhenAll(loops);
        return measurement;
    }

    private async Task ClosedLoopAsync(SenderSlot slot, string text, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var stamp = Stopwatch.GetTimestamp();
            metrics.SendStarted();
            try
            {
                await slot.Connection.SendAsync(slot.ThreadId, text, stamps.Next(stamp));
                metrics.SendAcked(stamp);
            }
            catch (Exception e)
            {
                metrics.SendFailed(ErrorKinds.Of(e));
                try
                {
                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SendOneAsync(SenderSlot slot, string text, long intended)
    {
        try
        {
            await slot.Connection.SendAsync(slot.ThreadId, text, stamps.Next(intended));
            metrics.SendAcked(intended);
        }
        catch (Exception e)
        {
            metrics.SendFailed(ErrorKinds.Of(e));
        }
    }

    private static async Task WaitAsync(TimeSpan time, CancellationToken ct, Action tick)
    {
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < time)
        {
            var left = time - Stopwatch.GetElapsedTime(start);
            await Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), ct);
            tick();
        }
    }
}
