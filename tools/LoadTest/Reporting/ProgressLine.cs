using OrleansChat.LoadTest.Metrics;
using OrleansChat.LoadTest.Scenarios;
using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Reporting;

/// <summary>The live progress line: one line per second (rewritten in place on a terminal).</summary>
public sealed class ProgressLine(TextWriter? output)
{
    private readonly bool _inPlace = output == Console.Out && !Console.IsOutputRedirected;
    private string _label = "";
    private bool _pending;
    private long _lastAcked;
    private long _lastDelivered;
    private long _lastTime = Stopwatch.GetTimestamp();

    public void Info(string text)
    {
        EndLine();
        output?.WriteLine(text);
    }

    public void Phase(string name, string target, DriveSpec spec)
    {
        _label = $"{name}@{target}";
        var how = spec.Rate is { } r ? spec.RampTo is { } to ? $"ramp {r:0}→{to:0}/s" : $"fixed {r:0}/s" : $"closed loop, {spec.InFlight} in flight per sender";
        Info($"== {_label}: {how}, warm-up {spec.Warmup.TotalSeconds:0}s, measure {spec.Duration.TotalSeconds:0}s");
        _lastAcked = 0;
        _lastDelivered = 0;
        _lastTime = Stopwatch.GetTimestamp();
    }

    public void Warmup(RunMetrics metrics, ProcessSampler sampler) =>
        Write($"[{_label} warm-up] in flight {metrics.InFlight} conns {metrics.ConnectionsHeld} | {sampler.Brief()}");

    public void Tick(TimeSpan elapsed, TimeSpan total, RunMetrics metrics, ProcessSampler sampler)
    {
        var now = Stopwatch.GetTimestamp();
        var seconds = Math.Max(0.001, (now - _lastTime) / (double)Stopwatch.Frequency);
        var acked = metrics.Acked;
        var delivered = metrics.DeliveredCount;
        var p50 = metrics.IntervalDeliveryLatency.PercentileMicros(50) / 1000.0;
        var p99 = metrics.IntervalDeliveryLatency.PercentileMicros(99) / 1000.0;
        metrics.IntervalDeliveryLatency.Reset();
        Write(string.Create(CultureInfo.InvariantCulture,
            $"[{_label} {elapsed.TotalSeconds:0}/{total.TotalSeconds:0}s] acks {(acked - _lastAcked) / seconds:#,0}/s deliv {(delivered - _lastDelivered) / seconds:#,0}/s p50 {p50:0.0} p99 {p99:0.0} ms infl {metrics.InFlight} conns {metrics.ConnectionsHeld} err {metrics.ErrorTotal} | {sampler.Brief()}"));
        _lastAcked = acked;
        _lastDelivered = delivered;
        _lastTime = now;
    }

    public void Done(Measurement m) => Info(string.Create(CultureInfo.InvariantCulture,
        $"   {m.Name}@{m.Target}: {m.AcksPerSecond:#,0} acks/s, {m.DeliveriesPerSecond:#,0} deliveries/s, ack p50/p99 {m.AckLatency.P50Ms:0.0}/{m.AckLatency.P99Ms:0.0} ms, delivery p50/p99/p99.9/max {m.DeliveryLatency.P50Ms:0.0}/{m.DeliveryLatency.P99Ms:0.0}/{m.DeliveryLatency.P999Ms:0.0}/{m.DeliveryLatency.MaxMs:0.0} ms, errors {m.ErrorCount}"));

    private void Write(string line)
    {
        if (output is null)
        {
            return;
        }
        if (_inPlace)
        {
            var width = Math.Max(40, SafeWidth() - 1);
            output.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
            _pending = true;
        }
        else
        {
            output.WriteLine(line);
        }
    }

    private void EndLine()
    {
        if (_pending)
        {
            output?.WriteLine();
            _pending = false;
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 160;
        }
        catch (IOException)
        {
            return 160;
        }
    }
}
