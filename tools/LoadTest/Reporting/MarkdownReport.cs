using System.Text;

namespace OrleansChat.LoadTest.Reporting;

/// <summary>The human summary: comparisons first (figure, baseline, ratio, goal), then every measurement and baseline.</summary>
public static class MarkdownReport
{
    public static string Render(LoadTestResult r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"# Benchmark: {r.Scenario} ({r.Protocol})");
        s.AppendLine();
        s.AppendLine(inv, $"Started {r.StartedAt:yyyy-MM-dd HH:mm:ss}Z, {r.ElapsedSeconds:0}s. Machine: {r.Machine.Cores} cores ({r.Machine.CpuModel}), {r.Machine.MemoryGiB:0.0} GiB, {r.Machine.Os}, {r.Machine.Runtime}; load average at start {string.Join(" ", r.Machine.LoadAverageAtStart.Select(x => x.ToString("0.00", inv)))}.");
        s.AppendLine();
        var (inversions, missing) = r.OrderViolations;
        s.AppendLine(inv, $"Live delivery order (spec §6, every chat connection, every thread): {inversions} inversions, {missing} missing seqs — **{(r.OrderHeld ? "held" : "VIOLATED")}**.");
        foreach (var baseline in r.Measurements.Select(m => m.Target).Where(t => t != LoadTestResult.ChatTarget).Distinct())
        {
            var (bi, bm) = r.OrderCounts(baseline);
            s.AppendLine(inv, $"({baseline} promises no order; seen there: {bi} inversions, {bm} missing seqs.)");
        }
        s.AppendLine();
        if (r.Settings.Count > 0)
        {
            s.AppendLine("Settings: " + string.Join(", ", r.Settings.Select(kv => $"{kv.Key}={kv.Value}")));
            s.AppendLine();
        }
        if (r.Comparisons.Count > 0)
        {
            s.AppendLine("| figure | value | baseline | baseline value | ratio | goal | met |");
            s.AppendLine("|---|---:|---|---:|---:|---|---|");
            foreach (var c in r.Comparisons)
            {
                s.AppendLine(inv, $"| {c.Metric} | {Num(c.Value)} {c.Unit} | {c.Baseline} | {(c.BaselineValue is { } b ? Num(b) : "–")} | {(c.Ratio is { } q ? q.ToString("0.00", inv) + "×" : "–")} | {c.Goal} | {(c.GoalMet is { } m ? m ? "yes" : "**no**" : "")} |");
            }
            s.AppendLine();
        }
        if (r.Measurements.Count > 0)
        {
            s.AppendLine("## Measurements");
            s.AppendLine();
            s.AppendLine("| phase | target | protocol | mode | acks/s | deliveries/s | ack p50/p99 ms | deliver p50 / p90 / p99 / p99.9 / max ms | errors | conns |");
            s.AppendLine("|---|---|---|---|---:|---:|---:|---:|---|---:|");
            foreach (var m in r.Measurements)
            {
                var mode = m.TargetRate is { } rate ? $"{m.Mode} {rate:0}/s" : m.Mode;
                var errors = m.Errors.Count == 0 ? "0" : string.Join("; ", m.Errors.Select(e => $"{e.Key}: {e.Value}"));
                s.AppendLine(inv, $"| {m.Name} | {m.Target} | {m.Protocol} | {mode} | {Num(m.AcksPerSecond)} | {Num(m.DeliveriesPerSecond)} | {m.AckLatency.P50Ms:0.0} / {m.AckLatency.P99Ms:0.0} | {m.DeliveryLatency.P50Ms:0.0} / {m.DeliveryLatency.P90Ms:0.0} / {m.DeliveryLatency.P99Ms:0.0} / {m.DeliveryLatency.P999Ms:0.0} / {m.DeliveryLatency.MaxMs:0.0} | {errors} | {m.ConnectionsHeld} |");
            }
            s.AppendLine();
            s.AppendLine("Processes (CPU % of one core over the phase, RSS MiB start → end, peak):");
            s.AppendLine();
            foreach (var m in r.Measurements)
            {
                s.AppendLine($"- {m.Name}@{m.Target}: " + string.Join(", ", m.Processes.Select(p => $"{p.Name} {p.CpuPercent:0}% {p.RssMbStart:0}→{p.RssMbEnd:0} (peak {p.RssMbPeak:0})")));
                if (m.Extra.Count > 0)
                {
                    s.AppendLine("  - " + string.Join(", ", m.Extra.Select(e => $"{e.Key} {e.Value.ToString("0.##", inv)}")));
                }
                if (m.Windows.Count > 0)
                {
                    s.AppendLine("  - windows (s: acks/s, deliver p50/p99 ms, server RSS MiB): " + string.Join("; ", m.Windows.Select(w => $"{w.AtSeconds:0}: {w.AcksPerSecond:0}, {w.DeliveryP50Ms:0.0}/{w.DeliveryP99Ms:0.0}, {w.ServerRssMb:0}")));
                }
            }
            s.AppendLine();
        }
        if (r.Baselines.Count > 0)
        {
            s.AppendLine("## Baselines");
            s.AppendLine();
            foreach (var b in r.Baselines)
            {
                s.AppendLine(inv, $"- {b.Name}: **{Num(b.Value)} {b.Unit}** ({b.Description}); latency p50/p99 {b.Latency.P50Ms:0.00}/{b.Latency.P99Ms:0.00} ms; errors {b.Errors}");
            }
            s.AppendLine();
        }
        if (r.Notes.Count > 0)
        {
            s.AppendLine("## Notes");
            s.AppendLine();
            foreach (var n in r.Notes)
            {
                s.AppendLine("- " + n);
            }
        }
        return s.ToString();
    }

    private static string Num(double v) => v.ToString(Math.Abs(v) >= 100 ? "#,0" : "0.##", CultureInfo.InvariantCulture);
}
