using OrleansChat.Grains.Threads;

namespace OrleansChat.UnitTests.Threads;

public sealed class SendQueueTests
{
    private static readonly Caller Client = new(1, "client1", UserRole.Client);

    private static SendCommand Send(string text, string? clientId = null) => new(Client, text, MessageTypes.Text, null, clientId);

    [Fact]
    public void Rows_continue_the_seq_without_gaps_and_never_go_back_in_time()
    {
        var queue = new SendQueue();
        queue.Enqueue(Send("a"));
        queue.Enqueue(Send("b"));
        queue.Enqueue(Send("c"));
        var batch = queue.Take(2);
        var last = new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc);

        var rows = SendQueue.Rows(9, batch, 41, last, last.AddSeconds(-5));

        Assert.Equal([42L, 43L], rows.Select(r => r.Seq));
        Assert.Equal(["a", "b"], rows.Select(r => r.Text));
        Assert.All(rows, r => Assert.Equal(last, r.SentAt));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Times_are_cut_to_microseconds()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);

        var row = Assert.Single(SendQueue.Rows(9, [new PendingSend(Send("a"))], 0, DateTime.MinValue, now));

        Assert.Equal(now.AddTicks(-7), row.SentAt);
    }

    [Fact]
    public async Task A_queued_send_is_found_by_its_client_id_until_answered()
    {
        var queue = new SendQueue();
        var pending = queue.Enqueue(Send("a", "c-1"));
        Assert.Same(pending, queue.Find(1, "c-1"));

        var batch = queue.Take(10);
        Assert.Same(pending, queue.Find(1, "c-1")); // committing: a concurrent retry still joins it

        var result = new SendResult(new ChatMessage(5, 9, 1, Client.ToRef(), "a", MessageTypes.Text, null, DateTime.UnixEpoch, null, false, "c-1"), true);
        queue.Answer(batch[0], result);

        Assert.Null(queue.Find(1, "c-1"));
        Assert.Equal(result, await pending.Completion.Task);
    }

    [Fact]
    public async Task Failing_the_queue_fails_every_waiting_sender()
    {
        var queue = new SendQueue();
        var first = queue.Enqueue(Send("a", "c-1"));
        var second = queue.Enqueue(Send("b"));

        queue.FailQueued(ChatException.Unavailable("Message storage"));

        await Assert.ThrowsAsync<ChatException>(() => first.Completion.Task);
        await Assert.ThrowsAsync<ChatException>(() => second.Completion.Task);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Find(1, "c-1"));
    }
}
