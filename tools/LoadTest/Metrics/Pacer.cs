namespace OrleansChat.LoadTest.Metrics;

/// <summary>
/// Open-loop send schedule on its own thread: message k is due at its intended time (k / rate, or the ramp's
/// equivalent) and is stamped with that time, not with when it actually left, so a stalled server shows up as
/// latency instead of as fewer sends (coordinated omission). Task.Delay wakes milliseconds late; this thread
/// sleeps 1 ms and dispatches every message that fell due meanwhile.
/// </summary>
public sealed class Pacer
{
    private readonly double _startRate;
    private readonly double _endRate;
    private readonly double _seconds;

    public Pacer(double rate, double? rampTo, TimeSpan duration)
    {
        _startRate = rate;
        _endRate = rampTo ?? rate;
        _seconds = Math.Max(0.001, duration.TotalSeconds);
    }

    /// <summary>Runs until <paramref name="stop"/> fires; <paramref name="dispatch"/> gets (k, intended Stopwatch timestamp).</summary>
    public Thread Start(Action<long, long> dispatch, CancellationToken stop)
    {
        var thread = new Thread(() => Run(dispatch, stop)) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        return thread;
    }

    private void Run(Action<long, long> dispatch, CancellationToken stop)
    {
        var start = Stopwatch.GetTimestamp();
        var frequency = (double)Stopwatch.Frequency;
        long k = 0;
        while (!stop.IsCancellationRequested)
        {
            var elapsed = (Stopwatch.GetTimestamp() - start) / frequency;
            var due = (long)CountBy(elapsed);
            for (; k < due && !stop.IsCancellationRequested; k++)
            {
                dispatch(k, start + (long)(TimeOf(k) * frequency));
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Messages due by <paramref name="t"/> seconds: the integral of the (linear) rate.</summary>
    private double CountBy(double t)
    {
        var slope = (_endRate - _startRate) / _seconds;
        var clamped = Math.Min(t, _seconds);
        var count = (_startRate * clamped) + (slope * clamped * clamped / 2);
        return t > _seconds ? count + (_endRate * (t - _seconds)) : count;
    }

    /// <summary>The intended time of message k (inverse of <see cref="CountBy"/>).</summary>
    private double TimeOf(long k)
    {
        var slope = (_endRate - _startRate) / _seconds;
        if (Math.Abs(slope) < 1e-9)
        {
            return k / _startRate;
        }
        var rampCount = CountBy(_seconds);
        if (k >= rampCount)
        {
            return _seconds + ((k - rampCount) / _endRate);
        }
        // slope/2 t² + r0 t - k = 0
        var a = slope / 2;
        var disc = (_startRate * _startRate) + (4 * a * k);
        return (-_startRate + Math.Sqrt(Math.Max(0, disc))) / (2 * a);
    }
}
