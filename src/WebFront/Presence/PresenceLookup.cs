namespace OrleansChat.WebFront.Presence;

/// <summary>
/// <c>other_online</c> for thread shapes (spec §8), read fresh so it changes at once, without the event's debounce.
/// Every rendered list and every batch of <c>thread_updated</c> events needs it — under load thousands of lookups a
/// second, one per user flush — so they share queries (<see cref="SharedLookups"/>): one presence query in flight per
/// front, each answer from a query that started after the call.
/// </summary>
public sealed class PresenceLookup
{
    private static readonly IReadOnlySet<long> Nobody = new HashSet<long>();

    private readonly SharedLookups _online;

    public PresenceLookup(IClusterClient cluster) =>
        _online = new(async ids => (await cluster.GetGrain<IPresenceReaderGrain>(0).OnlineAmong([.. ids])).ToHashSet());

    /// <summary>Which of the other participants of <paramref name="views"/> are online (the set may hold more ids).</summary>
    public Task<IReadOnlySet<long>> OnlineAsync(IEnumerable<ThreadView> views)
    {
        var ids = views.SelectMany(OthersOf).ToHashSet();
        return ids.Count == 0 ? Task.FromResult(Nobody) : _online.AskAsync(ids);
    }

    /// <summary>
    /// The other participant for a participant; for a service or admin account reading a thread it is not part of,
    /// both participants (<c>other_online</c> then says whether anyone in the thread is online).
    /// </summary>
    public static IEnumerable<long> OthersOf(ThreadView view) =>
        view.Info.IsParticipant(view.ViewerId) ? [view.Info.OtherParticipant(view.ViewerId)] : [view.Info.ClientId, view.Info.FreelancerId];

    public static bool OtherOnline(ThreadView view, IReadOnlySet<long> online) => OthersOf(view).Any(online.Contains);
}
