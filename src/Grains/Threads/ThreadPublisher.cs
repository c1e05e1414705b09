namespace OrleansChat.Grains.Threads;

/// <summary>
/// The fronts subscribed to one thread activation and the numbering of what it publishes to them. Every publish is
/// one numbered batch sent to every live observer (one-way); a subscription answers the epoch, the last batch number
/// and the caller's last seq, so the front knows exactly which batch comes next. Plain class: the grain calls it
/// between awaits only, so numbering and sending happen in one turn.
/// </summary>
public sealed class ThreadPublisher(long threadId, TimeSpan observerExpiry, TimeProvider time, Action<IThreadObserver, ThreadEventBatch> send)
{
    private readonly Dictionary<IThreadObserver, DateTimeOffset> _observers = [];

    /// <summary>Unique per activation and growing across activations (the activation's start in ticks).</summary>
    public long Epoch { get; } = time.GetUtcNow().UtcTicks;

    public long LastBatch { get; private set; }

    public int Count => _observers.Count;

    public ThreadStreamPosition Subscribe(IThreadObserver observer, long lastSeq)
    {
        _observers[observer] = time.GetUtcNow() + observerExpiry;
        return new ThreadStreamPosition(Epoch, LastBatch, lastSeq);
    }

    /// <summary>Numbers the batch and sends it to every observer whose subscription has not expired.</summary>
    public void Publish(IReadOnlyList<ThreadEvent> events, bool final = false)
    {
        // Numbered even with nobody listening: a front that subscribes later starts after it.
        var batch = new ThreadEventBatch(threadId, Epoch, ++LastBatch, events, final);
        if (_observers.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        List<IThreadObserver>? expired = null;
        foreach (var (observer, expiresAt) in _observers)
        {
            if (expiresAt < now)
            {
                (expired ??= []).Add(observer);
                continue;
            }
            // One-way, gathered per front (FrontCallBatcher): a front that is gone cannot hold up the others.
            send(observer, batch);
        }
        foreach (var observer in expired ?? [])
        {
            _observers.Remove(observer);
        }
    }
}
