namespace OrleansChat.ChatClients;

/// <summary>
/// Spec §6 seen from one connection: per thread, each chat_message must carry the seq right after the previous one.
/// A seq at or below the last one is an inversion (or a repeat); a jump over seqs is a gap (messages never delivered).
/// The first message of a thread on a connection only sets the starting point.
/// </summary>
public sealed class SeqOrderTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, long> _lastSeq = [];

    /// <summary>Returns (inversions, missing) this arrival reveals: (0, 0) when it is the next seq.</summary>
    public (int Inversions, long Missing) Observe(long threadId, long seq)
    {
        if (threadId <= 0 || seq <= 0)
        {
            return (0, 0); // a shape the harness cannot read: nothing to judge
        }
        lock (_gate)
        {
            if (!_lastSeq.TryGetValue(threadId, out var last))
            {
                _lastSeq[threadId] = seq;
                return (0, 0);
            }
            if (seq <= last)
            {
                return (1, 0);
            }
            _lastSeq[threadId] = seq;
            return (0, seq - last - 1);
        }
    }
}
