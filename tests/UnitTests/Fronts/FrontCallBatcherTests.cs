using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Fronts;
using OrleansChat.TestSupport;

namespace OrleansChat.UnitTests.Fronts;

public sealed class FrontCallBatcherTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public void What_a_window_gathers_reaches_each_front_as_one_call_per_kind_in_post_order()
    {
        using var batcher = Batcher(Long);
        var a = new FakeFront();
        var b = new FakeFront();

        batcher.Post(a, Batch(7, 1));
        batcher.Post(b, Batch(8, 1));
        batcher.Post(a, Batch(7, 2));
        batcher.Post(a, [Unread(1), Unread(2)]);
        batcher.Post(a, Batch(9, 1));
        batcher.Post(a, [Unread(3)]);
        Assert.Empty(a.ThreadCalls.Items);
        Assert.Empty(a.UserCalls.Items);

        batcher.Flush();
        var threadCall = Assert.Single(a.ThreadCalls.Items);
        Assert.Equal([(7L, 1L), (7L, 2L), (9L, 1L)], threadCall.Select(x => (x.ThreadId, x.Number)));
        Assert.Equal([1L, 2L, 3L], Assert.Single(a.UserCalls.Items).Select(e => e.UserId));
        Assert.Equal([(8L, 1L)], Assert.Single(b.ThreadCalls.Items).Select(x => (x.ThreadId, x.Number)));
        Assert.Empty(b.UserCalls.Items);

        batcher.Flush(); // nothing gathered since: no empty calls
        Assert.Single(a.ThreadCalls.Items);
    }

    [Fact]
    public async Task The_window_ends_by_itself()
    {
        using var batcher = Batcher(TimeSpan.FromMilliseconds(20));
        var front = new FakeFront();
        batcher.Post(front, Batch(1, 1));
        batcher.Post(front, Batch(1, 2));

        var calls = await front.ThreadCalls.WaitUntil(c => c.Count > 0, TimeSpan.FromSeconds(10), "the window's call");
        Assert.Equal([1L, 2L], Assert.Single(calls).Select(x => x.Number));
    }

    [Fact]
    public void A_full_window_goes_out_at_once()
    {
        using var batcher = Batcher(Long, maxItems: 3);
        var front = new FakeFront();
        batcher.Post(front, Batch(1, 1));
        batcher.Post(front, [Unread(1)]);
        Assert.Empty(front.ThreadCalls.Items);

        batcher.Post(front, Batch(1, 2));
        Assert.Equal([1L, 2L], Assert.Single(front.ThreadCalls.Items).Select(x => x.Number));
        Assert.Single(front.UserCalls.Items);
    }

    [Fact]
    public void A_zero_window_sends_every_post_on_its_own()
    {
        using var batcher = Batcher(TimeSpan.Zero);
        var front = new FakeFront();
        batcher.Post(front, Batch(1, 1));
        batcher.Post(front, Batch(1, 2));
        batcher.Post(front, [Unread(1)]);

        Assert.Equal([[1L], [2L]], front.ThreadCalls.Items.Select(c => c.Select(x => x.Number).ToArray()));
        Assert.Single(front.UserCalls.Items);
    }

    private static FrontCallBatcher Batcher(TimeSpan window, int maxItems = 256) =>
        new(Options.Create(new FrontCallOptions { Window = window, MaxItems = maxItems }), TimeProvider.System, NullLogger<FrontCallBatcher>.Instance);

    private static ThreadEventBatch Batch(long threadId, long number) => new(threadId, 1, number, [], false);

    private static UnreadCountChanged Unread(long userId) => new(userId, 1, 1, 1);

    private sealed class FakeFront : IThreadObserver, IUserObserver
    {
        public EventWaiter<IReadOnlyList<ThreadEventBatch>> ThreadCalls { get; } = new();

        public EventWaiter<IReadOnlyList<UserEvent>> UserCalls { get; } = new();

        public Task OnThreadEventBatches(IReadOnlyList<ThreadEventBatch> batches)
        {
            ThreadCalls.Add([.. batches]);
            return Task.CompletedTask;
        }

        public Task OnUserEvents(IReadOnlyList<UserEvent> events)
        {
            UserCalls.Add([.. events]);
            return Task.CompletedTask;
        }
    }
}
