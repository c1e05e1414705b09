namespace OrleansChat.WebFront.Presence;

/// <summary>
/// <c>other_online</c> for thread shapes (spec §8): one call (one query) per rendered list or event batch, never one
/// per thread. Read fresh every time, so it changes at once, without the event's debounce.
/// </summary>
public sealed class PresenceLookup(IClusterClient cluster)
{
    private static readonly IReadOnlySet<long> Nobody = new HashSet<long>();

    /// <summary>Which of the other participants of <paramref name="views"/> are online.</summary>
    public async Task<IReadOnlySet<long>> OnlineAsync(IEnumerable<ThreadView> views)
    {
        var ids = views.SelectMany(OthersOf).Distinct().ToArray();
        return ids.Length == 0 ? Nobody : (await cluster.GetGrain<IPresenceReaderGrain>(0).OnlineAmong(ids)).ToHashSet();
    }

    /// <summary>
    /// The other participant for a participant; for a service or admin account reading a thread it is not part of,
    /// both participants (<c>other_online</c> then says whether anyone in the thread is online).
    /// </summary>
    public static IEnumerable<long> OthersOf(ThreadView view) =>
        view.Info.IsParticipant(view.ViewerId) ? [view.Info.OtherParticipant(view.ViewerId)] : [view.Info.ClientId, view.Info.FreelancerId];

    public static bool OtherOnline(ThreadView view, IReadOnlySet<long> online) => OthersOf(view).Any(online.Contains);
}
