using OrleansChat.Grains.Presence;

namespace OrleansChat.UnitTests.Presence;

/// <summary>Spec §8: a presence change is announced once it lasted 5 s; a change undone within 5 s never is.</summary>
public sealed class PresenceDebounceTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_change_that_lasts_is_due_after_the_delay_and_not_before()
    {
        var debounce = new PresenceDebounce(Delay, announced: false);
        Assert.Equal(T0 + Delay, debounce.Changed(true, T0));
        Assert.False(debounce.IsDue(true, T0 + Delay - TimeSpan.FromMilliseconds(1)));
        Assert.True(debounce.IsDue(true, T0 + Delay));
        debounce.MarkAnnounced(true);
        Assert.True(debounce.Announced);
        Assert.Null(debounce.DueAt);
        Assert.False(debounce.IsDue(true, T0 + Delay + Delay));
    }

    [Fact]
    public void A_change_undone_within_the_delay_is_never_due()
    {
        var debounce = new PresenceDebounce(Delay, announced: true);
        Assert.NotNull(debounce.Changed(false, T0));                       // closed the last connection
        Assert.Null(debounce.Changed(true, T0 + TimeSpan.FromSeconds(2))); // reopened: back to what was announced
        Assert.False(debounce.IsDue(true, T0 + TimeSpan.FromSeconds(10)));
        Assert.False(debounce.IsDue(false, T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Each_change_restarts_the_wait_so_a_flapping_user_is_announced_once_settled()
    {
        var debounce = new PresenceDebounce(Delay, announced: true);
        debounce.Changed(false, T0);
        debounce.Changed(true, T0 + TimeSpan.FromSeconds(2));
        var due = debounce.Changed(false, T0 + TimeSpan.FromSeconds(4));
        Assert.Equal(T0 + TimeSpan.FromSeconds(9), due);
        Assert.False(debounce.IsDue(false, T0 + TimeSpan.FromSeconds(5)));
        Assert.True(debounce.IsDue(false, T0 + TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void A_state_that_differs_from_the_last_announcement_at_activation_is_owed()
    {
        // A new activation starts from what the last event said (persisted) and finds the user offline.
        var debounce = new PresenceDebounce(Delay, announced: true);
        Assert.Equal(T0 + Delay, debounce.Changed(false, T0));
        Assert.True(debounce.IsDue(false, T0 + Delay));
        // ...and one that agrees owes nothing.
        Assert.Null(new PresenceDebounce(Delay, announced: false).Changed(false, T0));
    }
}
