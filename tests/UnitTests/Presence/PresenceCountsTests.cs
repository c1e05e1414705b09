using OrleansChat.Grains.Presence;

namespace OrleansChat.UnitTests.Presence;

/// <summary>One user's connections per front: absolute counts with versions, and fronts that die.</summary>
public sealed class PresenceCountsTests
{
    [Fact]
    public void Online_while_any_front_counts_a_connection()
    {
        var counts = new PresenceCounts();
        Assert.False(counts.IsOnline);
        counts.Apply("a", 2, 1);
        counts.Apply("b", 1, 1);
        Assert.True(counts.IsOnline);
        Assert.False(counts.LeavesOffline("a", 0));
        counts.Apply("a", 0, 2);
        Assert.True(counts.IsOnline);
        Assert.True(counts.LeavesOffline("b", 0));
        Assert.False(counts.LeavesOffline("b", 1));
        counts.Apply("b", 0, 2);
        Assert.False(counts.IsOnline);
    }

    [Fact]
    public void An_older_or_repeated_report_is_stale_even_after_the_count_reached_zero()
    {
        var counts = new PresenceCounts();
        Assert.Equal(ReportKind.Applies, counts.Classify("a", 5));
        counts.Apply("a", 1, 5);
        counts.Apply("a", 0, 7);
        Assert.Equal(ReportKind.Stale, counts.Classify("a", 6));
        Assert.Equal(ReportKind.Stale, counts.Classify("a", 7));
        Assert.Equal(ReportKind.Applies, counts.Classify("a", 8));
        Assert.Equal(ReportKind.Applies, counts.Classify("b", 1));
    }

    [Fact]
    public void A_lost_front_closes_its_connections_and_never_counts_again()
    {
        var counts = new PresenceCounts();
        counts.Apply("a", 3, 1);
        counts.Apply("b", 0, 1);
        Assert.True(counts.Lose("a"));
        Assert.False(counts.Lose("b"));
        Assert.False(counts.IsOnline);
        Assert.Equal(0, counts.Connections("a"));
        Assert.True(counts.IsLost("a"));
        Assert.Equal(ReportKind.Refused, counts.Classify("a", 99));
    }
}
