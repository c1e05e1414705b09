using OrleansChat.ChatClients;

namespace OrleansChat.UnitTests.ChatClients;

public sealed class SeqOrderTrackerTests
{
    [Fact]
    public void The_first_seq_starts_each_thread_then_every_next_one_must_follow()
    {
        var order = new SeqOrderTracker();

        Assert.Equal((0, 0L), order.Observe(1, 40));
        Assert.Equal((0, 0L), order.Observe(1, 41));
        Assert.Equal((0, 0L), order.Observe(2, 7));
        Assert.Equal((0, 2L), order.Observe(1, 44)); // 42 and 43 never came
        Assert.Equal((1, 0L), order.Observe(1, 43)); // late: an inversion
        Assert.Equal((1, 0L), order.Observe(2, 7));  // a repeat
    }
}
