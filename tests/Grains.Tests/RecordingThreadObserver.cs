using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>
/// A client-side observer that records what a thread grain publishes: every batch as it arrives, and the events in
/// the grain's publish order (one-way calls may run in any order here, so events wait for the batches before them).
/// </summary>
public sealed class RecordingThreadObserver : IThreadObserver
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, ThreadEventBatch> _early = [];
    private long _next;

    public EventWaiter<ThreadEvent> Events { get; } = new();

    public EventWaiter<ThreadEventBatch> Batches { get; } = new();

    /// <summary>Subscribes this observer to <paramref name="thread"/> and starts ordering after the answered position.</summary>
    public async Task<ThreadStreamPosition> SubscribeTo(IClusterClient client, IThreadGrain thread)
    {
        var position = await thread.Subscribe(client.CreateObjectReference<IThreadObserver>(this));
        lock (_gate)
        {
            _next = position.LastBatch + 1;
            Drain();
        }
        return position;
    }

    public Task OnThreadEventBatches(IReadOnlyList<ThreadEventBatch> batches)
    {
        foreach (var batch in batches)
        {
            lock (_gate)
            {
                _early[batch.Number] = batch;
                Drain();
            }
            Batches.Add(batch);
        }
        return Task.CompletedTask;
    }

    private void Drain()
    {
        if (_next == 0)
        {
            return; // not placed yet
        }
        foreach (var stale in _early.Keys.Where(n => n < _next).ToArray())
        {
            _early.Remove(stale);
        }
        while (_early.Remove(_next, out var batch))
        {
            _next++;
            foreach (var e in batch.Events)
            {
                Events.Add(e);
            }
        }
    }
}
