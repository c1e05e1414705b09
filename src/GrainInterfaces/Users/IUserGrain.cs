namespace OrleansChat.GrainInterfaces;

/// <summary>
/// One user (key: user id): the profile recorded from claims or registration, and the inbox —
/// the user's threads newest first with unread counts — answered from memory.
/// </summary>
[Alias("chat.IUserGrain")]
public interface IUserGrain : IGrainWithIntegerKey
{
    [Alias("GetProfile")]
    Task<UserProfile?> GetProfile();

    /// <summary>Records the profile; a no-op when unchanged.</summary>
    [Alias("RecordProfile")]
    Task RecordProfile(UserProfile profile);

    [Alias("ListThreads")]
    Task<InboxPage> ListThreads(bool archived, int skip, int take);

    [Alias("GetUnread")]
    Task<UnreadSummary> GetUnread();

    /// <summary>A thread tells its participants' inboxes what changed; stale versions are ignored.</summary>
    [Alias("OnThreadChanged")]
    Task OnThreadChanged(ThreadView view);

    /// <summary>Pins or unpins one of the user's threads (spec §7); a 21st pin is refused (422).</summary>
    [Alias("SetPinned")]
    Task SetPinned(long threadId, bool pinned);

    /// <summary>When the user pinned this thread, or null.</summary>
    [Alias("GetPinnedAt")]
    Task<DateTime?> GetPinnedAt(long threadId);

    /// <summary>Passes a presence event to the user's hub connections, if any front listens for this user.</summary>
    [Alias("OnPresenceChanged"), OneWay]
    Task OnPresenceChanged(PresenceChanged change);

    [Alias("Subscribe")]
    Task Subscribe(IUserObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IUserObserver observer);
}
