using System.Collections.Concurrent;

namespace OrleansChat.Grains.Storage;

/// <summary>
/// Fault injection for tests: makes a thread's next commit look failed after it did commit, as when the connection
/// dies between COMMIT and its answer. The silo registers an empty one; nothing is injected unless a test asks.
/// </summary>
public sealed class CommitFaults
{
    private readonly ConcurrentDictionary<long, int> _lostAnswers = new();

    /// <summary>The next commit of <paramref name="threadId"/> succeeds in PostgreSQL but its sender is told 503.</summary>
    public void LoseNextAnswer(long threadId) => _lostAnswers.AddOrUpdate(threadId, 1, (_, count) => count + 1);

    /// <summary>Called after a commit succeeded; throws when a lost answer was asked for this thread.</summary>
    public void AfterCommit(long threadId)
    {
        if (_lostAnswers.IsEmpty || !_lostAnswers.TryGetValue(threadId, out var count))
        {
            return;
        }
        if (count <= 1 ? _lostAnswers.TryRemove(threadId, out _) : _lostAnswers.TryUpdate(threadId, count - 1, count))
        {
            throw ChatException.Unavailable("Message storage (injected: commit outcome unknown)");
        }
    }
}
