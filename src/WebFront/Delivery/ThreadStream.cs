using OrleansChat.WebFront.Diagnostics;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// One thread's live events on this front, put back in order and made complete before anyone sees them. The grain
/// numbers its publishes per activation (<see cref="ThreadEventBatch.Number"/>) and a subscription says which batch
/// comes next, so the stream releases batches strictly in number order: it holds early arrivals, drops repeats and
/// messages already released (by seq), and when a batch stays missing for longer than the gap timeout it reads the
/// missing messages from the log before releasing anything after them. A new activation (another epoch) is refilled
/// from the log at once. Non-message events keep their place between the batches, so an event about a message never
/// overtakes that message. Everything is released through one callback, one event at a time, in order.
/// </summary>
public sealed partial class ThreadStream : IDisposable
{
    /// <summary>Messages read from the log per round trip when filling.</summary>
    public const int FillPageSize = 200;

    /// <summary>Skipped batch numbers remembered so that a late one can still hand over its non-message events.</summary>
    private const int MaxSkippedRemembered = 1_000;

    private readonly Lock _gate = new();
    private readonly long _threadId;
    private readonly IThreadLog _log;
    private readonly Action<ThreadEvent> _release;
    private readonly Action _resubscribe;
    private readonly TimeProvider _time;
    private readonly StreamTimings _timings;
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, ThreadEventBatch> _held = [];
    private readonly HashSet<long> _skipped = [];
    private List<ThreadEventBatch> _unplaced = [];
    private long _epoch;
    private long _nextBatch;
    private long _nextSeq;
    private long _tailBatch;
    private long _skipTo;
    private bool _filling;
    private bool _disposed;
    private ITimer? _gapTimer;

    /// <param name="release">Receives the events in order; called under the stream's lock, so it must not block.</param>
    /// <param name="resubscribe">Asks the owner to subscribe again (the activation changed or is going away).</param>
    public ThreadStream(long threadId, IThreadLog log, Action<ThreadEvent> release, Action resubscribe, TimeProvider time, StreamTimings timings, ILogger logger)
    {
        _threadId = threadId;
        _log = log;
        _release = release;
        _resubscribe = resubscribe;
        _time = time;
        _timings = timings;
        _logger = logger;
    }

    /// <summary>The seq of the next message this stream will release.</summary>
    public long NextSeq
    {
        get
        {
            lock (_gate)
            {
                return _nextSeq;
            }
        }
    }

    /// <summary>What a (re)subscription answered. The first one places the stream; a later epoch means a new activation.</summary>
    public void OnPosition(ThreadStreamPosition position)
    {
        bool newerPending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (_epoch == 0)
            {
                _epoch = position.Epoch;
                _nextBatch = position.LastBatch + 1;
                _nextSeq = position.LastSeq + 1;
            }
            else if (position.Epoch == _epoch)
            {
                if (position.LastBatch >= _nextBatch)
                {
                    // Published but not here yet: in flight, or lost. The gap timer decides which.
                    _tailBatch = Math.Max(_tailBatch, position.LastBatch);
                }
            }
            else if (position.Epoch > _epoch)
            {
                // A new activation: what the old one published and this stream did not release is in the log.
                LogNewActivation(_logger, _threadId, position.LastSeq);
                _epoch = position.Epoch;
                _held.Clear();
                _skipped.Clear();
                _tailBatch = 0;
                _nextBatch = position.LastBatch + 1;
                if (position.LastSeq >= _nextSeq)
                {
                    ChatFrontMetrics.Filled("epoch");
                    StartFill(0);
                }
            }
            else
            {
                return; // a late answer from an activation this stream already left behind
            }
            newerPending = PlaceUnplaced();
            Drain();
        }
        if (newerPending)
        {
            _resubscribe();
        }
    }

    /// <summary>A batch from the grain, in whatever order the runtime delivered it.</summary>
    public void OnBatch(ThreadEventBatch batch)
    {
        var resubscribe = false;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            if (_epoch == 0 || batch.Epoch > _epoch)
            {
                // Not placed yet (the subscription's answer is on its way), or from an activation not subscribed
                // to knowingly: keep it until a position says where it belongs.
                _unplaced.Add(batch);
                resubscribe = _epoch != 0;
            }
            else if (batch.Epoch == _epoch)
            {
                Accept(batch);
                resubscribe = batch.Final;
            }
        }
        if (resubscribe)
        {
            _resubscribe();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _gapTimer?.Dispose();
            _gapTimer = null;
            _held.Clear();
            _unplaced.Clear();
        }
    }

    private void Accept(ThreadEventBatch batch)
    {
        if (batch.Number < _nextBatch)
        {
            if (_skipped.Remove(batch.Number))
            {
                ChatFrontMetrics.LateBatch();
                // A batch the gap fill gave up on arrived after all: its messages went out from the log, its other
                // events (reads, edits, typing) still go out, after the messages they refer to.
                Release(batch);
            }
            return;
        }
        _held.TryAdd(batch.Number, batch);
        Drain();
    }

    /// <summary>Moves buffered batches of the current epoch into place; true when some belong to a newer one.</summary>
    private bool PlaceUnplaced()
    {
        if (_unplaced.Count == 0)
        {
            return false;
        }
        var newer = new List<ThreadEventBatch>();
        foreach (var batch in _unplaced)
        {
            if (batch.Epoch == _epoch && batch.Number >= _nextBatch)
            {
                _held.TryAdd(batch.Number, batch);
            }
            else if (batch.Epoch > _epoch)
            {
                newer.Add(batch);
            }
        }
        _unplaced = newer;
        return newer.Count > 0;
    }

    /// <summary>Releases every batch that is next in line; arms the gap timer while one is missing.</summary>
    private void Drain()
    {
        if (_filling)
        {
            return;
        }
        while (_held.Remove(_nextBatch, out var batch))
        {
            if (FirstSeq(batch) > _nextSeq)
            {
                // Messages before this batch were never released here: read them first.
                _held[batch.Number] = batch;
                ChatFrontMetrics.Filled("seq");
                StartFill(0);
                return;
            }
            _nextBatch++;
            Release(batch);
        }
        if (_held.Count > 0 || _tailBatch >= _nextBatch)
        {
            // Armed once per gap, not re-armed by every batch that queues behind it.
            _gapTimer ??= _time.CreateTimer(_ => OnGapTimeout(), null, _timings.GapTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _gapTimer?.Dispose();
            _gapTimer = null;
            _tailBatch = 0;
        }
    }

    private void Release(ThreadEventBatch batch)
    {
        foreach (var e in batch.Events)
        {
            if (e is MessageCreated created)
            {
                if (created.Message.Seq < _nextSeq)
                {
                    continue; // already released (from the log, or a repeat)
                }
                _nextSeq = created.Message.Seq + 1;
            }
            Emit(e);
        }
    }

    private void Emit(ThreadEvent e)
    {
        try
        {
            _release(e);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(_logger, ex, _threadId);
        }
    }

    private static long FirstSeq(ThreadEventBatch batch)
    {
        foreach (var e in batch.Events)
        {
            if (e is MessageCreated created)
            {
                return created.Message.Seq;
            }
        }
        return long.MinValue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Thread {ThreadId}: new activation (last seq {LastSeq}); refilling from the log")]
    private static partial void LogNewActivation(ILogger logger, long threadId, long lastSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Thread {ThreadId}: batches {From}..{To} missing past the gap timeout; filling from the log")]
    private static partial void LogGap(ILogger logger, long threadId, long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId}: reading the log to fill a gap failed; retrying")]
    private static partial void LogFillFailed(ILogger logger, Exception exception, long threadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId}: a listener failed to take an event")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, long threadId);
}

/// <summary>How long a missing batch may stay missing before the log fills it, and how often a failed fill retries.</summary>
public sealed record StreamTimings(TimeSpan GapTimeout, TimeSpan FillRetryDelay);
