using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansChat.Grains.Fronts;

/// <summary>
/// The silo's one-way calls to the fronts (thread batches and user events), gathered per front for a short window
/// (<see cref="FrontCallOptions.Window"/>) and sent as one call per front. Every observer call is a message through
/// the gateway with its own serialization, socket write and wake-ups on both sides; under load a silo sent about three
/// per chat message (the thread's batch and both participants' inbox events), and one call per window carries them
/// all. Calls keep the order of <c>Post</c> per front; fronts restore each thread's order from batch numbers anyway,
/// because the runtime may deliver one-way calls in any order.
/// </summary>
public sealed partial class FrontCallBatcher : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _window;
    private readonly int _maxItems;
    private readonly TimeProvider _time;
    private readonly ILogger<FrontCallBatcher> _logger;
    private Dictionary<IThreadObserver, List<ThreadEventBatch>> _threadBatches = [];
    private Dictionary<IUserObserver, List<UserEvent>> _userEvents = [];
    private int _gathered;
    private ITimer? _flushTimer;

    public FrontCallBatcher(IOptions<FrontCallOptions> options, TimeProvider time, ILogger<FrontCallBatcher> logger)
    {
        _window = options.Value.Window;
        _maxItems = options.Value.MaxItems;
        _time = time;
        _logger = logger;
    }

    public void Post(IThreadObserver front, ThreadEventBatch batch)
    {
        if (_window <= TimeSpan.Zero)
        {
            Send(front, [batch]);
            return;
        }
        bool full;
        lock (_gate)
        {
            ListFor(_threadBatches, front).Add(batch);
            full = Gathered(1);
        }
        if (full)
        {
            Flush();
        }
    }

    public void Post(IUserObserver front, IReadOnlyList<UserEvent> events)
    {
        if (_window <= TimeSpan.Zero)
        {
            Send(front, events);
            return;
        }
        bool full;
        lock (_gate)
        {
            ListFor(_userEvents, front).AddRange(events);
            full = Gathered(events.Count);
        }
        if (full)
        {
            Flush();
        }
    }

    /// <summary>Sends everything gathered so far, one call per front and kind.</summary>
    public void Flush()
    {
        Dictionary<IThreadObserver, List<ThreadEventBatch>> threadBatches;
        Dictionary<IUserObserver, List<UserEvent>> userEvents;
        lock (_gate)
        {
            _flushTimer?.Dispose();
            _flushTimer = null;
            if (_gathered == 0)
            {
                return;
            }
            (threadBatches, _threadBatches) = (_threadBatches, []);
            (userEvents, _userEvents) = (_userEvents, []);
            _gathered = 0;
        }
        foreach (var (front, batches) in threadBatches)
        {
            Send(front, batches);
        }
        foreach (var (front, events) in userEvents)
        {
            Send(front, events);
        }
    }

    public void Dispose() => Flush();

    /// <summary>Under the lock: counts what was added, arms the window's timer; true when the front's call should go now.</summary>
    private bool Gathered(int count)
    {
        _gathered += count;
        if (_gathered >= _maxItems)
        {
            return true;
        }
        _flushTimer ??= _time.CreateTimer(static state => ((FrontCallBatcher)state!).Flush(), this, _window, Timeout.InfiniteTimeSpan);
        return false;
    }

    private static List<T> ListFor<TFront, T>(Dictionary<TFront, List<T>> gathered, TFront front) where TFront : notnull
    {
        if (!gathered.TryGetValue(front, out var list))
        {
            gathered[front] = list = [];
        }
        return list;
    }

    private void Send(IThreadObserver front, IReadOnlyList<ThreadEventBatch> batches)
    {
        try
        {
            // One-way: returns at once; a front that is gone cannot hold up the others.
            _ = front.OnThreadEventBatches(batches);
        }
        catch (Exception e)
        {
            LogSendFailed(_logger, e, batches.Count);
        }
    }

    private void Send(IUserObserver front, IReadOnlyList<UserEvent> events)
    {
        try
        {
            _ = front.OnUserEvents(events);
        }
        catch (Exception e)
        {
            LogSendFailed(_logger, e, events.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} gathered items to a front")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);
}
