namespace OrleansChat.LoadTest.Metrics;

/// <summary>
/// A log-linear histogram in the HdrHistogram layout (128 sub-buckets per power of two, under 1 % relative error),
/// of microseconds, lock-free to record from many threads.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int HalfCount = 1 << (SubBucketBits - 1);
    private const int Buckets = 40;
    private readonly long[] _counts = new long[(Buckets + 1) * HalfCount];
    private long _total;
    private long _max;
    private long _sum;

    public long Count => Interlocked.Read(ref _total);

    public void RecordMicros(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        var index = Math.Min(IndexOf(micros), _counts.Length - 1);
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, micros);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, seen) != seen)
        {
        }
    }

    /// <summary>Records the time since a Stopwatch timestamp.</summary>
    public void RecordSince(long startTimestamp, long nowTimestamp) =>
        RecordMicros((long)((nowTimestamp - startTimestamp) * 1_000_000.0 / Stopwatch.Frequency));

    public void Reset()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _max, 0);
        Interlocked.Exchange(ref _sum, 0);
    }

    /// <summary>The value below or at which <paramref name="percentile"/> % of the recorded values lie (highest equivalent value).</summary>
    public long PercentileMicros(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }
        var target = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= target)
            {
                return Math.Min(HighestEquivalent(i), Interlocked.Read(ref _max));
            }
        }
        return Interlocked.Read(ref _max);
    }

    public LatencySummary Summarize() => new()
    {
        Count = Count,
        P50Ms = PercentileMicros(50) / 1000.0,
        P90Ms = PercentileMicros(90) / 1000.0,
        P99Ms = PercentileMicros(99) / 1000.0,
        P999Ms = PercentileMicros(99.9) / 1000.0,
        MaxMs = Interlocked.Read(ref _max) / 1000.0,
        MeanMs = Count == 0 ? 0 : Interlocked.Read(ref _sum) / 1000.0 / Count,
    };

    internal static int IndexOf(long value)
    {
        var bucket = Math.Max(0, 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(value | ((1 << SubBucketBits) - 1))) - (SubBucketBits - 1));
        var sub = (int)(value >> bucket);
        return ((bucket + 1) * HalfCount) + sub - HalfCount;
    }

    internal static long HighestEquivalent(int index)
    {
        var bucket = Math.Max(0, (index / HalfCount) - 1);
        var sub = index - ((bucket + 1) * HalfCount) + HalfCount;
        return (((long)sub + 1) << bucket) - 1;
    }
}
