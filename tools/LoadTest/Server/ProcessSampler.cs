namespace OrleansChat.LoadTest.Server;

/// <summary>Samples the watched processes once a second: CPU percent (of one core) over the interval, current and peak RSS.</summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private readonly List<Entry> _entries;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();

    public ProcessSampler(IEnumerable<WatchedProcess> processes)
    {
        _entries = [.. processes.Select(p => new Entry(p))];
        foreach (var e in _entries)
        {
            e.Begin();
        }
        _loop = LoopAsync();
    }

    public IReadOnlyList<WatchedProcess> Processes => [.. _entries.Select(e => e.Process)];

    /// <summary>Starts a new measurement window (CPU and peak memory are per window).</summary>
    public void BeginWindow()
    {
        lock (_gate)
        {
            foreach (var e in _entries)
            {
                e.Begin();
            }
        }
    }

    /// <summary>The window so far, per process.</summary>
    public List<ProcessSample> Window()
    {
        lock (_gate)
        {
            return [.. _entries.Select(e => e.Sample())];
        }
    }

    /// <summary>The latest one-second CPU percent per process, for the progress line.</summary>
    public string Brief()
    {
        lock (_gate)
        {
            return string.Join(' ', _entries.Select(e => $"{e.Process.Name} {e.LastCpuPercent:0}% {e.LastRss:0}M"));
        }
    }

    public double ServerRssMb()
    {
        lock (_gate)
        {
            return _entries.Where(e => e.Process.IsServer).Sum(e => e.LastRss);
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                lock (_gate)
                {
                    foreach (var e in _entries)
                    {
                        e.Tick();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private sealed class Entry(WatchedProcess process)
    {
        private long _startTicks;
        private long _startTime;
        private double _startRss;
        private double _peak;
        private long _lastTicks;
        private long _lastTime;

        public WatchedProcess Process { get; } = process;

        public double LastCpuPercent { get; private set; }

        public double LastRss { get; private set; }

        public void Begin()
        {
            _startTicks = _lastTicks = Process.CpuTicks();
            _startTime = _lastTime = Stopwatch.GetTimestamp();
            _startRss = _peak = LastRss = Process.RssMb();
        }

        public void Tick()
        {
            var ticks = Process.CpuTicks();
            var now = Stopwatch.GetTimestamp();
            LastCpuPercent = Percent(ticks - _lastTicks, now - _lastTime);
            LastRss = Process.RssMb();
            _peak = Math.Max(_peak, LastRss);
            _lastTicks = ticks;
            _lastTime = now;
        }

        public ProcessSample Sample()
        {
            var rss = Process.RssMb();
            return new ProcessSample
            {
                Name = Process.Name,
                Pid = Process.Pid,
                CpuPercent = Math.Round(Percent(Process.CpuTicks() - _startTicks, Stopwatch.GetTimestamp() - _startTime), 1),
                RssMbStart = Math.Round(_startRss, 1),
                RssMbEnd = Math.Round(rss, 1),
                RssMbPeak = Math.Round(Math.Max(_peak, rss), 1),
            };
        }

        private static double Percent(long ticks, long elapsed) =>
            elapsed <= 0 ? 0 : ticks / ProcReader.TicksPerSecond / (elapsed / (double)Stopwatch.Frequency) * 100.0;
    }
}
