using System.Text;

namespace OrleansChat.Chaos;

/// <summary>Writes the verdict as JSON and Markdown (.chat/chaos/) and prints the Markdown.</summary>
public static class ChaosReport
{
    public static (string Json, string Markdown) Write(ChaosOptions options, ChaosVerdict v, DateTime startedAt, TimeSpan loadTime)
    {
        Directory.CreateDirectory(options.OutputDir);
        var stem = Path.GetFullPath(Path.Combine(options.OutputDir, $"{startedAt:yyyyMMdd-HHmmss}-chaos"));
        var json = new
        {
            started_at = startedAt,
            load_seconds = Math.Round(loadTime.TotalSeconds),
            fronts = options.Fronts.Select(f => f.ToString()),
            threads = options.Threads,
            rate = options.Rate,
            outage_seconds = options.Outage.TotalSeconds,
            passed = v.Passed,
            acknowledged = v.Acknowledged,
            stored = v.Stored,
            acknowledged_but_missing = v.AckedButMissing.Count,
            missing_examples = v.AckedButMissing.Take(20),
            duplicate_seqs = v.DuplicateSeqs,
            duplicate_client_message_ids = v.DuplicateClientIds,
            seq_gaps = v.SeqGaps,
            receiver_missing_after_catch_up = v.ReceiverMissing,
            receiver_conflicts = v.ReceiverConflicts,
            received_live = v.ReceivedLive,
            received_by_catch_up = v.ReceivedByCatchUp,
            redelivered = v.Redelivered,
            send_retries = v.SendRetries,
            sender_reconnects = v.SenderReconnects,
            receiver_reconnects = v.ReceiverReconnects,
            faults = v.Faults.Select(f => new
            {
                kind = f.Fault.Kind,
                injected_at = f.Fault.InjectedAt,
                inject_done_at = f.Fault.InjectDoneAt,
                heal_started_at = f.Fault.HealStartedAt,
                healed_at = f.Fault.HealedAt,
                cleared_at = f.Fault.ClearedAt,
                detail = f.Fault.Detail,
                inject_error = f.Fault.InjectError,
                heal_error = f.Fault.HealError,
                first_ack_s = f.FirstAckS,
                all_senders_acked_s = f.AllSendersAckedS,
                first_live_delivery_s = f.FirstLiveDeliveryS,
                all_receivers_live_s = f.AllReceiversLiveS,
                acks_in_window = f.AcksDuringWindow,
                errors = f.ErrorsDuringOutage,
                reconnects_in_window = f.ReconnectsDuringWindow,
                longest_send_stall_s = f.LongestStallS,
                longest_send_stall_thread = f.LongestStall?.Thread,
                longest_send_stall_began_s = f.LongestStall?.BeganS,
            }),
        };
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        var md = Markdown(options, v, startedAt, loadTime);
        File.WriteAllText(stem + ".md", md);
        return (stem + ".json", stem + ".md");
    }

    public static string Markdown(ChaosOptions options, ChaosVerdict v, DateTime startedAt, TimeSpan loadTime)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"# Chaos run {startedAt:yyyy-MM-dd HH:mm:ss}Z — {(v.Passed ? "PASSED" : "FAILED")}");
        b.AppendLine();
        b.AppendLine(CultureInfo.InvariantCulture, $"Load {loadTime.TotalSeconds:F0}s, {options.Threads} threads (sender + receiver each; every 4th sender over REST, the rest over the hub), {options.Rate} sends/s in total, fronts {string.Join(' ', options.Fronts)}, outage {options.Outage.TotalSeconds:F0}s per fault.");
        b.AppendLine();
        b.AppendLine("| figure | value |");
        b.AppendLine("|---|---|");
        void Row(string name, object value) => b.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        Row("faults injected", string.Join(", ", v.Faults.Select(f => f.Fault.Kind)));
        Row("messages acknowledged", v.Acknowledged);
        Row("rows stored (incl. unacknowledged last attempts)", v.Stored);
        Row("**acknowledged but missing** (must be 0)", v.AckedButMissing.Count);
        Row("**duplicate seqs** (must be 0)", v.DuplicateSeqs);
        Row("client_message_id stored twice (must be 0)", v.DuplicateClientIds);
        Row("seq gaps", v.SeqGaps);
        Row("receivers: missing after catch-up (must be 0)", v.ReceiverMissing);
        Row("receivers: conflicting seq (must be 0)", v.ReceiverConflicts);
        Row("receivers: live / by catch-up / redelivered", $"{v.ReceivedLive} / {v.ReceivedByCatchUp} / {v.Redelivered}");
        Row("send retries / sender reconnects / receiver reconnects", $"{v.SendRetries} / {v.SenderReconnects} / {v.ReceiverReconnects}");
        b.AppendLine();
        b.AppendLine("Recovery in seconds from the moment the fault cleared (faults the cluster must ride through: the injection; PostgreSQL/Redis restarts and a silo cut from PostgreSQL: the heal):");
        b.AppendLine();
        b.AppendLine("| fault | injected | outage (inject → healed) | first ack | all senders acked | first live delivery | all receivers live | longest send stall of a thread | reconnects (receivers, REST senders) | errors seen during the fault window |");
        b.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var f in v.Faults)
        {
            var errors = f.ErrorsDuringOutage.Count == 0 ? "none" : string.Join(", ", f.ErrorsDuringOutage.Select(e => $"{e.Key} ×{e.Value}"));
            var problems = (f.Fault.InjectError is null ? "" : " inject error: " + f.Fault.InjectError) + (f.Fault.HealError is null ? "" : " heal error: " + f.Fault.HealError);
            b.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Fault.Kind} ({f.Fault.Detail}){problems} | {f.Fault.InjectedAt:HH:mm:ss} | {(f.Fault.HealedAt - f.Fault.InjectedAt).TotalSeconds:F1}s | {S(f.FirstAckS)} | {S(f.AllSendersAckedS)} | {S(f.FirstLiveDeliveryS)} | {S(f.AllReceiversLiveS)} | {S(f.LongestStallS)}{(f.LongestStall is { } stall ? FormattableString.Invariant($" (thread {stall.Thread}, from {stall.BeganS:F1}s)") : "")} | {f.ReconnectsDuringWindow} | {errors} |");
        }
        if (v.AckedButMissing.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("Missing (first 20):");
            foreach (var m in v.AckedButMissing.Take(20))
            {
                b.AppendLine("- " + m);
            }
        }
        return b.ToString();
    }

    private static string S(double? seconds) => seconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + "s" : "not recovered";
}
