namespace OrleansChat.LoadTest.Metrics;

/// <summary>
/// Client-side counters of one measurement, all on one clock (Stopwatch). Only events that happen while
/// <see cref="Recording"/> is on count, so warm-up and drain stay out of the figures.
/// </summary>
public sealed class RunMetrics
{
    private long _sent;
    private long _acked;
    private long _delivered;
    private long _other;
    private long _inFlight;
    private int _connectionsHeld;
    private int _connectionsFailed;
    private long _seqInversions;
    private long _seqMissing;

    public ConcurrentDictionary<string, long> Errors { get; } = new();

    public LatencyHistogram AckLatency { get; } = new();

    public LatencyHistogram DeliveryLatency { get; } = new();

    /// <summary>Delivery latency of the current progress interval (reset by whoever reads it).</summary>
    public LatencyHistogram IntervalDeliveryLatency { get; } = new();

    /// <summary>Delivery latency of the current window sample (soak; reset by the driver).</summary>
    public LatencyHistogram WindowDeliveryLatency { get; } = new();

    public volatile bool Recording;

    public long Sent => Interlocked.Read(ref _sent);

    public long Acked => Interlocked.Read(ref _acked);

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    public long OtherEvents => Interlocked.Read(ref _other);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public int ConnectionsHeld => Volatile.Read(ref _connectionsHeld);

    public int ConnectionsFailed => Volatile.Read(ref _connectionsFailed);

    public long ErrorTotal => Errors.Values.Sum();

    /// <summary>Arrivals at or below a connection's last seq of that thread, over the whole run (never reset).</summary>
    public long SeqInversions => Interlocked.Read(ref _seqInversions);

    /// <summary>Seqs a connection jumped over, over the whole run (never reset): messages it never received.</summary>
    public long SeqMissing => Interlocked.Read(ref _seqMissing);

    /// <summary>Counts order violations whether or not a phase is recording: any one is a failure.</summary>
    public void OrderChecked(int inversions, long missing)
    {
        if (inversions != 0)
        {
            Interlocked.Add(ref _seqInversions, inversions);
        }
        if (missing != 0)
        {
            Interlocked.Add(ref _seqMissing, missing);
        }
    }

    public void SendStarted()
    {
        Interlocked.Increment(ref _inFlight);
        if (Recording)
        {
            Interlocked.Increment(ref _sent);
        }
    }

    public void SendAcked(long stampTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _inFlight);
        if (Recording)
        {
            Interlocked.Increment(ref _acked);
            AckLatency.RecordSince(stampTimestamp, now);
        }
    }

    public void SendFailed(string kind)
    {
        Interlocked.Decrement(ref _inFlight);
        Error(kind);
    }

    public void Error(string kind)
    {
        if (Recording)
        {
            Errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
    }

    /// <summary>A chat_message arrived; <paramref name="stampTimestamp"/> is the send's stamp when it came from another user.</summary>
    public void MessageDelivered(long? stampTimestamp)
    {
        if (!Recording)
        {
            return;
        }
        Interlocked.Increment(ref _delivered);
        if (stampTimestamp is { } stamp)
        {
            var now = Stopwatch.GetTimestamp();
            DeliveryLatency.RecordSince(stamp, now);
            IntervalDeliveryLatency.RecordSince(stamp, now);
            WindowDeliveryLatency.RecordSince(stamp, now);
        }
    }

    public void OtherEvent()
    {
        if (Recording)
        {
            Interlocked.Increment(ref _other);
        }
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionsHeld);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsHeld);

    public void ConnectionFailed(string kind)
    {
        Interlocked.Increment(ref _connectionsFailed);
        Errors.AddOrUpdate("connect: " + kind, 1, (_, n) => n + 1);
    }

    /// <summary>Clears counters (not connections) at the start of a measured phase.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _other, 0);
        Errors.Clear();
        AckLatency.Reset();
        DeliveryLatency.Reset();
        IntervalDeliveryLatency.Reset();
        WindowDeliveryLatency.Reset();
    }
}
