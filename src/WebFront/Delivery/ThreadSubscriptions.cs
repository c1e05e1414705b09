using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// This front's subscriptions to thread grains: one observer per (front, thread), whatever the number of local
/// listeners, each feeding one ordered <see cref="ThreadStream"/> into one <see cref="ThreadFanout"/>.
/// Subscribing is serialized per thread and awaited, and there is no eager unsubscribe: when the last listener
/// leaves, the entry lingers one renewal interval (a listener that comes back finds it subscribed), then it is
/// dropped and the grain forgets the observer when it expires — so no stale unsubscribe can ever remove a newer
/// subscription. Every join resubscribes, which also tells the stream about a new activation at once.
/// </summary>
public sealed partial class ThreadSubscriptions : IThreadObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Entry> _threads = [];

    // Background resubscriptions (a gateway change touches every thread at once) go 16 at a time.
    private readonly SemaphoreSlim _resubscribing = new(16, 16);
    private readonly IClusterClient _cluster;
    private readonly IThreadLog _log;
    private readonly IHubClients _hub;
    private readonly RealtimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IThreadObserver _reference;

    public ThreadSubscriptions(IClusterClient cluster, IThreadLog log, IHubClients hub, IOptions<RealtimeOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _cluster = cluster;
        _log = log;
        _hub = hub;
        _options = options.Value;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ThreadSubscriptions>();
        // The reference holds this object weakly; the registry is a singleton, so it outlives it.
        _reference = cluster.CreateObjectReference<IThreadObserver>(this);
    }

    /// <summary>Threads with an entry on this front (listened to, or lingering).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _threads.Count;
            }
        }
    }

    /// <summary>A raw socket listens from now on; returns once the thread's grain has this front subscribed.</summary>
    public Task AddSocketAsync(long threadId, IThreadListener socket) =>
        AttachAsync(threadId, fanout => fanout.AddSocket(socket), fanout => fanout.RemoveSocket(socket));

    public void RemoveSocket(long threadId, IThreadListener socket) => Detach(threadId, fanout => fanout.RemoveSocket(socket));

    /// <summary>A hub user (already in the thread's groups) listens from now on.</summary>
    public Task AddHubUserAsync(long threadId, long userId) =>
        AttachAsync(threadId, fanout => fanout.AddHubUser(userId), fanout => fanout.RemoveHubUser(userId));

    public void RemoveHubUser(long threadId, long userId) => Detach(threadId, fanout => fanout.RemoveHubUser(userId));

    public Task OnThreadEventBatches(IReadOnlyList<ThreadEventBatch> batches)
    {
        foreach (var batch in batches)
        {
            Entry? entry;
            lock (_gate)
            {
                _threads.TryGetValue(batch.ThreadId, out entry);
            }
            entry?.Stream.OnBatch(batch); // no entry: nobody here listens any more; the grain's subscription expires
        }
        return Task.CompletedTask;
    }

    /// <summary>Renews every subscription and drops entries that have had no listener for a whole interval.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var idleBefore = _time.GetUtcNow() - _options.ResubscribeInterval;
        Entry[] live;
        lock (_gate)
        {
            foreach (var idle in _threads.Values.Where(e => e.IdleSince < idleBefore).ToArray())
            {
                _threads.Remove(idle.ThreadId);
                idle.Stream.Dispose();
            }
            live = [.. _threads.Values];
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(live, parallel, async (entry, _) =>
        {
            try
            {
                await SubscribeAsync(entry);
            }
            catch (Exception e)
            {
                LogRenewalFailed(_logger, e, entry.ThreadId);
                ResubscribeSoon(entry);
            }
        });
    }

    /// <summary>The cluster changed (a gateway came or went): check every thread's activation now, not at the next renewal.</summary>
    public void ResubscribeAll()
    {
        Entry[] all;
        lock (_gate)
        {
            all = [.. _threads.Values];
        }
        foreach (var entry in all)
        {
            ResubscribeSoon(entry);
        }
    }

    private async Task AttachAsync(long threadId, Action<ThreadFanout> add, Action<ThreadFanout> undo)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_threads.TryGetValue(threadId, out var found))
            {
                _threads[threadId] = found = CreateEntry(threadId);
            }
            entry = found;
            add(entry.Fanout);
            entry.IdleSince = null;
        }
        try
        {
            await SubscribeAsync(entry);
        }
        catch
        {
            Detach(threadId, undo);
            throw;
        }
    }

    private void Detach(long threadId, Action<ThreadFanout> remove)
    {
        lock (_gate)
        {
            if (_threads.TryGetValue(threadId, out var entry))
            {
                remove(entry.Fanout);
                if (entry.Fanout.IsEmpty)
                {
                    entry.IdleSince = _time.GetUtcNow();
                }
            }
        }
    }

    private Entry CreateEntry(long threadId)
    {
        var fanout = new ThreadFanout(threadId, _hub, _options.SlowClientTimeout, _loggers.CreateLogger<ThreadFanout>());
        Entry? entry = null;
        var stream = new ThreadStream(threadId, _log, fanout.Deliver, () => ResubscribeSoon(entry!), _time,
            new StreamTimings(_options.GapFillDelay, _options.FillRetryDelay), _loggers.CreateLogger<ThreadStream>());
        entry = new Entry(threadId, stream, fanout);
        return entry;
    }

    /// <summary>Subscribes (or renews) and hands the answer to the stream; one at a time per thread.</summary>
    private async Task SubscribeAsync(Entry entry)
    {
        await entry.Gate.WaitAsync();
        try
        {
            var position = await _cluster.GetGrain<IThreadGrain>(entry.ThreadId).Subscribe(_reference);
            entry.Stream.OnPosition(position);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Subscribes again in the background, retrying until it succeeds or nobody listens any more.</summary>
    private void ResubscribeSoon(Entry entry)
    {
        if (Interlocked.Exchange(ref entry.Resubscribing, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                while (IsCurrent(entry))
                {
                    await _resubscribing.WaitAsync();
                    try
                    {
                        await SubscribeAsync(entry);
                        return;
                    }
                    catch (Exception e)
                    {
                        // The thread's silo is gone and not yet declared dead, or the cluster is briefly away.
                        LogRenewalFailed(_logger, e, entry.ThreadId);
                    }
                    finally
                    {
                        _resubscribing.Release();
                    }
                    await Task.Delay(_options.FillRetryDelay, _time);
                }
            }
            finally
            {
                Volatile.Write(ref entry.Resubscribing, 0);
            }
        });
    }

    private bool IsCurrent(Entry entry)
    {
        lock (_gate)
        {
            return _threads.TryGetValue(entry.ThreadId, out var current) && current == entry;
        }
    }

    private sealed class Entry(long threadId, ThreadStream stream, ThreadFanout fanout)
    {
        public long ThreadId { get; } = threadId;

        public ThreadStream Stream { get; } = stream;

        public ThreadFanout Fanout { get; } = fanout;

        /// <summary>Serializes this thread's subscription calls.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>When the last listener left; null while someone listens.</summary>
        public DateTimeOffset? IdleSince { get; set; }

        public int Resubscribing;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Thread {ThreadId}: subscription failed; retrying")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, long threadId);
}
