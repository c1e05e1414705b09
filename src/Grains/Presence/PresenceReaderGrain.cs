using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Presence;

/// <summary>Presence reads for the fronts: stateless, so every silo serves them locally and in parallel.</summary>
[StatelessWorker]
public sealed class PresenceReaderGrain(PresenceStore store) : Grain, IPresenceReaderGrain
{
    /// <summary>Ids are JSON integers below 2^53 (spec); anything else is no user.</summary>
    private const long MaxUserId = (1L << 53) - 1;

    public async Task<PresenceStatus> Read(Caller caller, long userId)
    {
        if (userId is <= 0 or > MaxUserId)
        {
            throw ChatException.NotFound();
        }
        // Spec §8: the caller, the users who share a thread with them, and anyone for service/admin; never revealing more.
        if (userId != caller.Id && !caller.IsPrivileged && !await store.SharesThreadAsync(caller.Id, userId))
        {
            throw ChatException.NotFound();
        }
        return await GrainFactory.GetGrain<IPresenceGrain>(userId).Get();
    }

    public async Task<IReadOnlyList<long>> OnlineAmong(IReadOnlyList<long> userIds) =>
        userIds.Count == 0 ? [] : await store.OnlineAmongAsync(userIds);
}
