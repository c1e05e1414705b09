namespace OrleansChat.GrainInterfaces;

/// <summary>
/// One user's presence (key: user id; spec §8): how many hub and WebSocket connections the user has open on each
/// front, whether that makes them online, when they were last seen, and the debounced <c>presence</c> event to the
/// other participants of their threads.
/// <para>
/// Where the state lives: PostgreSQL, written before any call returns. <c>chat_presence_connections</c> holds one
/// row per (user, front key) with the count and the front's report version; <c>chat_presence_users</c> holds
/// <c>last_seen_at</c>, the username the events carry and what the last event announced; a front's lease is its row
/// in <c>chat_presence_fronts</c>. The activation is a copy of its rows (Grains/Presence/PresenceGrain), so a silo
/// restart loses nothing, and a front's death reaches the rows even when no activation exists
/// (Grains/Presence/FrontLeaseSweeper).
/// </para>
/// </summary>
[Alias("chat.IPresenceGrain")]
public interface IPresenceGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A front's current count of the user's connections on it. <paramref name="version"/> grows with every change a
    /// front makes, so a stale report is ignored. False when the front's lease has ended (<paramref name="frontId"/>
    /// was declared dead): the front must take a new id and report again.
    /// </summary>
    [Alias("Report")]
    Task<bool> Report(string frontId, int connections, long version, string username);

    /// <summary>The front was declared dead at <paramref name="deadAt"/>: its connections count as closed then.</summary>
    [Alias("FrontLost")]
    Task FrontLost(string frontId, DateTime deadAt);

    /// <summary>Online now, and when the last connection closed; no authorization (see <see cref="IPresenceReaderGrain"/>).</summary>
    [Alias("Get")]
    Task<PresenceStatus> Get();
}
