using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// Remembers who has been authorized for which thread, so a busy sender costs one grain call per message, not two.
/// Only positive answers are kept, and a thread's participants never change, so an entry can never grant access
/// that the grain would refuse; the grain still checks every call it serves.
/// </summary>
public sealed class ParticipantCache(IClusterClient cluster)
{
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<(long User, UserRole Role, long Thread), byte> _authorized = new();

    /// <summary>Throws the grain's 404 for outsiders and unknown threads.</summary>
    public async ValueTask EnsureAsync(Caller caller, long threadId)
    {
        var key = (caller.Id, caller.Role, threadId);
        if (_authorized.ContainsKey(key))
        {
            return;
        }
        await cluster.GetGrain<IThreadGrain>(threadId).Authorize(caller);
        if (_authorized.Count >= Capacity)
        {
            _authorized.Clear();
        }
        _authorized.TryAdd(key, 0);
    }
}
