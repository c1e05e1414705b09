using OrleansChat.LoadTest.Metrics;

namespace OrleansChat.LoadTest.Baselines;

/// <summary>
/// The closed-loop measuring window shared by the call-rate baselines: workers repeat one call until the window
/// ends; calls after a one-second warm-up are counted and their latency recorded, failures are counted apart.
/// </summary>
internal sealed class CallMeter : IDisposable
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _count;
    private long _errors;

    public CallMeter(TimeSpan duration, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _stop.CancelAfter(duration + WarmUp);
    }

    public bool Stopped => _stop.IsCancellationRequested;

    public LatencyHistogram Histogram { get; } = new();

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Calls per second over the measured part of the window (after the warm-up).</summary>
    public double PerSecond => Math.Round(Interlocked.Read(ref _count) / (Stopwatch.GetElapsedTime(_start) - WarmUp).TotalSeconds, 1);

    /// <summary>Times one call; an exception that <paramref name="isFailure"/> accepts counts as an error, others propagate.</summary>
    public async Task MeasureAsync(Func<Task> call, Func<Exception, bool> isFailure)
    {
        var begin = Stopwatch.GetTimestamp();
        try
        {
            await call();
        }
        catch (Exception e) when (isFailure(e))
        {
            Interlocked.Increment(ref _errors);
            return;
        }
        if (Stopwatch.GetElapsedTime(_start) > WarmUp)
        {
            Interlocked.Increment(ref _count);
            Histogram.RecordSince(begin, Stopwatch.GetTimestamp());
        }
    }

    public void Dispose() => _stop.Dispose();
}
