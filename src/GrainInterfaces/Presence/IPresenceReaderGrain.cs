namespace OrleansChat.GrainInterfaces;

/// <summary>
/// Reads presence for the fronts: one user's (authorized as spec §8 says) or many users' online flags in one query,
/// so a thread list costs one call, not one per thread. Stateless: every silo serves it locally.
/// </summary>
[Alias("chat.IPresenceReaderGrain")]
public interface IPresenceReaderGrain : IGrainWithIntegerKey
{
    /// <summary>The caller's own presence, a user who shares a thread with the caller, or anyone for service/admin; else 404.</summary>
    [Alias("Read")]
    Task<PresenceStatus> Read(Caller caller, long userId);

    /// <summary>Which of <paramref name="userIds"/> are online now.</summary>
    [Alias("OnlineAmong")]
    Task<IReadOnlyList<long>> OnlineAmong(IReadOnlyList<long> userIds);
}
