using OrleansChat.Grains.Threads;

namespace OrleansChat.UnitTests.Threads;

public sealed class RecentClientIdsTests
{
    [Fact]
    public void Remembers_id_and_seq_per_sender()
    {
        var recent = new RecentClientIds(64 * 1024);
        recent.Remember(1, "a", 100, 1);
        recent.Remember(2, "a", 101, 2);

        Assert.True(recent.TryGet(1, "a", out var first));
        Assert.Equal((100L, 1L), first);
        Assert.True(recent.TryGet(2, "a", out var second));
        Assert.Equal((101L, 2L), second);
        Assert.False(recent.TryGet(3, "a", out _));
    }

    [Fact]
    public void Stays_within_its_bytes_by_forgetting_the_oldest()
    {
        var recent = new RecentClientIds(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            recent.Remember(1, $"client-message-{i:D40}", i, i + 1);
        }

        Assert.InRange(recent.Bytes, 1, 10_000);
        Assert.True(recent.TryGet(1, $"client-message-{9_999:D40}", out _));
        Assert.False(recent.TryGet(1, $"client-message-{0:D40}", out _));
        Assert.InRange(recent.Count, 1, 100);
    }

    [Fact]
    public void Remembering_the_same_id_twice_keeps_the_first_and_costs_nothing_more()
    {
        var recent = new RecentClientIds(64 * 1024);
        recent.Remember(1, "x", 100, 1);
        var bytes = recent.Bytes;
        recent.Remember(1, "x", 200, 2);

        Assert.Equal(bytes, recent.Bytes);
        Assert.True(recent.TryGet(1, "x", out var kept));
        Assert.Equal(100L, kept.MessageId);
    }
}
