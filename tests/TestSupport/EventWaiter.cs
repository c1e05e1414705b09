using System.Collections.Concurrent;

namespace OrleansChat.TestSupport;

/// <summary>Collects events as they arrive and lets a test await a condition over them, with a deadline instead of sleeps.</summary>
public sealed class EventWaiter<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<T> Items => [.. _items];

    public void Add(T item)
    {
        _items.Enqueue(item);
        _arrived.Release();
    }

    /// <summary>Waits until <paramref name="condition"/> holds over everything received so far.</summary>
    public async Task<IReadOnlyList<T>> WaitUntil(Func<IReadOnlyList<T>, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var snapshot = Items;
            if (condition(snapshot))
            {
                return snapshot;
            }
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; received {snapshot.Count} events.");
            }
        }
    }
}
