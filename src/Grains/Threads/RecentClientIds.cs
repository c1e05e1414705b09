namespace OrleansChat.Grains.Threads;

/// <summary>
/// The client_message_ids a thread activation saw lately: (sender, id) → (message id, seq), bounded in bytes, oldest
/// forgotten first. Forgetting is safe: the unique index on (thread, sender, client_message_id) still finds an
/// older retry; this only spares that round trip. A sender who floods ids can push out others' ids, nothing more.
/// </summary>
public sealed class RecentClientIds(int capacityBytes)
{
    /// <summary>What one entry costs besides its id's characters (keys, values, dictionary and queue slots).</summary>
    private const int EntryOverheadBytes = 96;

    private readonly Dictionary<(long Sender, string ClientId), (long MessageId, long Seq)> _byKey = [];
    private readonly Queue<(long Sender, string ClientId)> _oldestFirst = new();

    public long Bytes { get; private set; }

    public int Count => _byKey.Count;

    public bool TryGet(long senderId, string clientId, out (long MessageId, long Seq) message) =>
        _byKey.TryGetValue((senderId, clientId), out message);

    public void Remember(long senderId, string clientId, long messageId, long seq)
    {
        var key = (senderId, clientId);
        if (!_byKey.TryAdd(key, (messageId, seq)))
        {
            return;
        }
        _oldestFirst.Enqueue(key);
        Bytes += Cost(clientId);
        while (Bytes > capacityBytes && _oldestFirst.TryDequeue(out var oldest))
        {
            _byKey.Remove(oldest);
            Bytes -= Cost(oldest.ClientId);
        }
    }

    private static long Cost(string clientId) => EntryOverheadBytes + (2L * clientId.Length);
}
