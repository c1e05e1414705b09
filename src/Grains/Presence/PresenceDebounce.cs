namespace OrleansChat.Grains.Presence;

/// <summary>
/// Spec §8's debounce of the <c>presence</c> event (pure logic): a change is announced once it has lasted
/// <see cref="Delay"/>; a change undone within it is never announced. Each change restarts the wait, so a user who
/// keeps flapping is announced once they settle. Reads (GET, <c>other_online</c>) never wait for this.
/// </summary>
public sealed class PresenceDebounce(TimeSpan delay, bool announced)
{
    public TimeSpan Delay { get; } = delay;

    /// <summary>What the last event said (persisted, so a new activation knows whether one is owed).</summary>
    public bool Announced { get; private set; } = announced;

    /// <summary>When the pending change is due to be announced; null when nothing is pending.</summary>
    public DateTime? DueAt { get; private set; }

    /// <summary>The user's online state is now <paramref name="online"/>; answers when to look again (null: nothing to announce).</summary>
    public DateTime? Changed(bool online, DateTime now)
    {
        DueAt = online == Announced ? null : now + Delay;
        return DueAt;
    }

    /// <summary>Whether <paramref name="online"/> must be announced at <paramref name="now"/>.</summary>
    public bool IsDue(bool online, DateTime now) => DueAt is { } due && now >= due && online != Announced;

    public void MarkAnnounced(bool online)
    {
        Announced = online;
        DueAt = null;
    }
}
