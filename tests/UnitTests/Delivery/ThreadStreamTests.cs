using static OrleansChat.UnitTests.Delivery.StreamScenario;

namespace OrleansChat.UnitTests.Delivery;

/// <summary>The front's ordered per-thread stream (spec §6), without a silo: order, repeats, gaps, epochs.</summary>
public sealed class ThreadStreamTests
{
    private const long Epoch = 100;

    [Fact]
    public void Shuffled_batches_are_released_in_publish_order()
    {
        using var s = new StreamScenario();
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        var batches = Enumerable.Range(1, 40).Select(n => Batch(Epoch, n, Created(2 * n - 1), Created(2 * n))).ToList();
        foreach (var batch in batches.OrderBy(_ => Random.Shared.Next()))
        {
            s.Stream.OnBatch(batch);
        }

        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), s.ReleasedSeqs());
        Assert.Equal(0, s.Log.Reads);
    }

    [Fact]
    public void Repeated_batches_and_seen_messages_are_released_once()
    {
        using var s = new StreamScenario();
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 3, 5));
        s.Stream.OnBatch(Batch(Epoch, 3, Created(5))); // before the subscription: already known
        s.Stream.OnBatch(Batch(Epoch, 4, Created(6)));
        s.Stream.OnBatch(Batch(Epoch, 4, Created(6)));
        s.Stream.OnBatch(Batch(Epoch, 5, Created(6), Created(7)));

        Assert.Equal([6L, 7L], s.ReleasedSeqs());
    }

    [Fact]
    public void Batches_that_arrive_before_the_subscription_answer_wait_for_it()
    {
        using var s = new StreamScenario();
        s.Stream.OnBatch(Batch(Epoch, 3, Created(3)));
        s.Stream.OnBatch(Batch(Epoch, 2, Created(2)));
        Assert.Empty(s.Released.Items);

        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 1, 1));

        Assert.Equal([2L, 3L], s.ReleasedSeqs());
    }

    [Fact]
    public void Events_about_a_message_wait_behind_it()
    {
        using var s = new StreamScenario();
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        var edited = new MessageEdited(ThreadId, Message(1) with { Text = "edited" });
        var read = new MessagesRead(ThreadId, new UserRef(2, "freelancer1"), [1001], 1);
        s.Stream.OnBatch(Batch(Epoch, 3, read));
        s.Stream.OnBatch(Batch(Epoch, 2, edited));
        Assert.Empty(s.Released.Items);

        s.Stream.OnBatch(Batch(Epoch, 1, Created(1)));

        Assert.Equal([typeof(MessageCreated), typeof(MessageEdited), typeof(MessagesRead)], s.Released.Items.Select(e => e.GetType()));
    }

    [Fact]
    public async Task A_lasting_gap_is_filled_from_the_log_before_anything_after_it()
    {
        using var s = new StreamScenario();
        s.Log.Append(Message(1), Message(2), Message(3), Message(4));
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 1, Created(1)));
        s.Stream.OnBatch(Batch(Epoch, 3, Created(3)));
        s.Stream.OnBatch(Batch(Epoch, 4, Created(4)));
        Assert.Equal([1L], s.ReleasedSeqs());

        s.Time.Advance(GapTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, s.Log.Reads); // a short gap is only waited out

        s.Time.Advance(TimeSpan.FromMilliseconds(1));
        await s.WaitForSeq(4);

        Assert.Equal([1L, 2L, 3L, 4L], s.ReleasedSeqs());
    }

    [Fact]
    public async Task A_late_batch_after_a_fill_hands_over_its_other_events_but_not_its_messages()
    {
        using var s = new StreamScenario();
        s.Log.Append(Message(1), Message(2));
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 2, Created(2)));
        s.Time.Advance(GapTimeout);
        await s.WaitForSeq(2);

        var typing = new TypingChanged(ThreadId, new UserRef(1, "client1"), true);
        s.Stream.OnBatch(Batch(Epoch, 1, Created(1), typing));

        Assert.Equal([1L, 2L], s.ReleasedSeqs());
        Assert.Equal(typing, s.Released.Items[^1]);
    }

    [Fact]
    public async Task A_batch_that_arrives_while_the_fill_reads_is_not_waited_for_again()
    {
        using var s = new StreamScenario();
        s.Log.Append(Message(1), Message(2));
        var firstFill = s.Log.HoldNextRead();
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 2, Created(2)));
        s.Time.Advance(GapTimeout); // batch 1 is given up on: the fill starts and waits on the log

        var typing = new TypingChanged(ThreadId, new UserRef(1, "client1"), true);
        s.Stream.OnBatch(Batch(Epoch, 1, Created(1), typing)); // arrives while the log is read
        firstFill.SetResult();
        await s.WaitForSeq(2);
        Assert.Equal([1L, 2L], s.ReleasedSeqs());
        Assert.Equal(typing, s.Released.Items[^1]);

        // Nothing is missing any more: no gap timer may start another fill, so the next batch goes out at once.
        var anotherFill = s.Log.HoldNextRead();
        s.Time.Advance(GapTimeout * 3);
        s.Stream.OnBatch(Batch(Epoch, 3, Created(3)));

        Assert.Equal([1L, 2L, 3L], s.ReleasedSeqs());
        Assert.Equal(1, s.Log.Reads);
        anotherFill.SetResult();
    }

    [Fact]
    public async Task A_missing_tail_that_a_renewal_reveals_is_filled()
    {
        using var s = new StreamScenario();
        s.Log.Append(Message(1), Message(2));
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 1, Created(1)));

        // The renewal says batch 2 exists; it never arrives.
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 2, 2));
        s.Time.Advance(GapTimeout);
        await s.WaitForSeq(2);

        s.Stream.OnBatch(Batch(Epoch, 3, Created(3)));
        Assert.Equal([1L, 2L, 3L], s.ReleasedSeqs());
    }

    [Fact]
    public async Task A_new_epoch_refills_from_the_log_at_once_and_ignores_the_old_activation()
    {
        using var s = new StreamScenario();
        var start = s.Time.GetUtcNow();
        s.Log.Append(Message(1), Message(2), Message(3), Message(4), Message(5));
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 1, Created(1), Created(2)));

        // The thread's silo died: seqs 3..5 were committed by the old activation but never reached this front.
        var newEpoch = Epoch + 50;
        s.Stream.OnBatch(Batch(newEpoch, 3, Created(6))); // the new activation's batch outruns the answer
        Assert.Equal(1, s.Resubscribes);
        s.Stream.OnPosition(new ThreadStreamPosition(newEpoch, 2, 5));
        await s.WaitForSeq(6);
        s.Stream.OnBatch(Batch(Epoch, 2, Created(3))); // a straggler from the old activation

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], s.ReleasedSeqs());
        Assert.Equal(start, s.Time.GetUtcNow()); // no gap timeout was waited out
    }

    [Fact]
    public void A_final_batch_asks_for_a_new_subscription()
    {
        using var s = new StreamScenario();
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(new ThreadEventBatch(ThreadId, Epoch, 1, [], Final: true));

        Assert.Equal(1, s.Resubscribes);
    }

    [Fact]
    public async Task A_failed_fill_holds_everything_and_retries()
    {
        using var s = new StreamScenario();
        s.Log.Append(Message(1), Message(2));
        s.Log.FailNext(1);
        s.Stream.OnPosition(new ThreadStreamPosition(Epoch, 0, 0));
        s.Stream.OnBatch(Batch(Epoch, 2, Created(2)));
        s.Time.Advance(GapTimeout);
        await s.Log.ReadLog.WaitUntil(r => r.Count == 1, TimeSpan.FromSeconds(10), "the failed read");
        Assert.Empty(s.Released.Items);

        // The retry's delay starts once the failed read has come back, which the test cannot observe: advance the
        // clock by the delay until the second read is seen (each round waits for it briefly).
        for (var round = 0; s.Log.Reads < 2 && round < 50; round++)
        {
            s.Time.Advance(RetryDelay);
            try
            {
                await s.Log.ReadLog.WaitUntil(r => r.Count >= 2, TimeSpan.FromMilliseconds(100), "the retry");
            }
            catch (TimeoutException)
            {
                // the delay had not started yet: advance again
            }
        }
        await s.WaitForSeq(2);
        Assert.Equal([1L, 2L], s.ReleasedSeqs());
    }
}
