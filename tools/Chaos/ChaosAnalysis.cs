using Npgsql;

namespace OrleansChat.Chaos;

/// <summary>Turns the client log, the fault timeline and the database contents into a <see cref="ChaosVerdict"/>.</summary>
public static class ChaosAnalysis
{
    public static async Task<ChaosVerdict> VerifyAsync(string database, IReadOnlyList<ChaosSender> senders, IReadOnlyList<ChaosReceiver> receivers,
        ChaosLog log, IReadOnlyList<FaultRecord> faults, DateTime loadEnded, CancellationToken ct)
    {
        var acks = log.Acks.ToArray();
        var threadIds = senders.Select(s => s.ThreadId).ToArray();
        var rows = await StoredAsync(database, threadIds, ct);
        var verdict = new ChaosVerdict { Acknowledged = acks.Length, Stored = rows.Count };

        var byThread = rows.GroupBy(r => r.Thread).ToDictionary(g => g.Key, g => g.ToList());
        var stored = rows.Select(r => (r.Thread, r.Id, r.Seq, r.ClientId)).ToHashSet();
        foreach (var a in acks)
        {
            if (!stored.Contains((senders[a.Thread].ThreadId, a.Id, a.Seq, a.ClientMessageId)))
            {
                verdict.AckedButMissing.Add($"thread {senders[a.Thread].ThreadId} {a.ClientMessageId} id {a.Id} seq {a.Seq}");
            }
        }
        foreach (var (_, list) in byThread)
        {
            verdict.DuplicateSeqs += list.Count - list.Select(r => r.Seq).Distinct().Count();
            verdict.DuplicateClientIds += list.Count - list.Select(r => r.ClientId).Distinct().Count();
            verdict.SeqGaps += (int)(list.Max(r => r.Seq) - list.Select(r => r.Seq).Distinct().Count());
        }
        foreach (var r in receivers)
        {
            foreach (var row in byThread.GetValueOrDefault(r.ThreadId) ?? [])
            {
                if (!r.Seen.TryGetValue(row.Seq, out var seen))
                {
                    verdict.ReceiverMissing++;
                }
                else if (seen.Id != row.Id)
                {
                    verdict.ReceiverConflicts++;
                }
            }
            verdict.ReceiverConflicts += r.Conflicts;
            verdict.ReceivedByCatchUp += r.CaughtUp;
            verdict.Redelivered += r.Redelivered;
            verdict.ReceiverReconnects += r.Reconnects;
        }
        verdict.ReceivedLive = log.Deliveries.Count;
        verdict.SendRetries = senders.Sum(s => s.Retries);
        verdict.SenderReconnects = senders.Sum(s => s.Reconnects);

        var deliveries = log.Deliveries.ToArray();
        var errors = log.Errors.ToArray();
        var reconnects = log.Reconnects.Select(r => r.At).ToArray();
        for (var i = 0; i < faults.Count; i++)
        {
            var end = i + 1 < faults.Count ? faults[i + 1].InjectedAt : loadEnded;
            var outcome = Outcome(faults[i], end, senders.Count, acks, deliveries, errors);
            var (stallS, stall) = LongestStall(faults[i].InjectedAt, end, senders.Count, acks);
            verdict.Faults.Add(outcome with
            {
                ReconnectsDuringWindow = reconnects.Count(at => at >= faults[i].InjectedAt && at <= end),
                LongestStallS = stallS,
                LongestStall = stall,
            });
        }
        return verdict;
    }

    private static FaultOutcome Outcome(FaultRecord fault, DateTime end, int threads, Ack[] acks, LiveDelivery[] deliveries, SendError[] errors)
    {
        var t = fault.ClearedAt;
        double S(DateTime at) => Math.Round((at - t).TotalSeconds, 1);
        var after = acks.Where(a => a.At > t && a.At <= end).ToArray();
        var firstAckPerThread = after.GroupBy(a => a.Thread).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        // A live delivery counts only for a message acknowledged after the fault cleared (its seq is above every
        // seq the thread had acknowledged by then), so a late delivery of an old message does not look like recovery.
        var seqAt = Enumerable.Range(0, threads).ToDictionary(i => i, i => acks.Where(a => a.Thread == i && a.At <= t).Select(a => a.Seq).DefaultIfEmpty(0).Max());
        var live = deliveries.Where(d => d.At > t && d.At <= end && d.Seq > seqAt[d.Thread]).ToArray();
        var firstLivePerThread = live.GroupBy(d => d.Thread).ToDictionary(g => g.Key, g => g.Min(d => d.At));
        var outage = errors.Where(e => e.At >= fault.InjectedAt && e.At <= end)
            .GroupBy(e => e.Kind).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        return new FaultOutcome(
            fault,
            after.Length == 0 ? null : S(after.Min(a => a.At)),
            firstAckPerThread.Count == threads ? S(firstAckPerThread.Values.Max()) : null,
            live.Length == 0 ? null : S(live.Min(d => d.At)),
            firstLivePerThread.Count == threads ? S(firstLivePerThread.Values.Max()) : null,
            after.Length,
            outage,
            0,
            null);
    }

    /// <summary>
    /// The longest time any thread went without an acknowledged send between the injection and the window's end
    /// (counted from its last ack before the injection): how long the fault kept a thread from serving sends.
    /// </summary>
    private static (double? Seconds, SendStall? Stall) LongestStall(DateTime from, DateTime end, int threads, Ack[] acks)
    {
        double? longest = null;
        SendStall? stall = null;
        for (var thread = 0; thread < threads; thread++)
        {
            var times = acks.Where(a => a.Thread == thread && a.At <= end).Select(a => a.At).Order().ToList();
            var previous = times.LastOrDefault(at => at <= from, from);
            foreach (var at in times.Where(at => at > from))
            {
                var seconds = (at - previous).TotalSeconds;
                if (seconds > (longest ?? 0))
                {
                    longest = seconds;
                    stall = new SendStall(thread, Math.Round((previous - from).TotalSeconds, 1));
                }
                previous = at;
            }
        }
        return longest is { } s ? (Math.Round(s, 1), stall) : (null, null);
    }

    private static async Task<List<(long Thread, long Id, long Seq, string? ClientId)>> StoredAsync(string database, long[] threadIds, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT thread_id, id, seq, client_message_id FROM chat_messages WHERE thread_id = ANY(@t)", connection);
        command.Parameters.AddWithValue("t", threadIds);
        var rows = new List<(long, long, long, string?)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return rows;
    }
}
