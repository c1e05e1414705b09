using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Grains.Storage;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>What a thread grain publishes is numbered so fronts can restore its order (spec §6).</summary>
[Collection(ClusterCollection.Name)]
public sealed class PublishOrderTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Batches_after_a_subscription_are_numbered_without_gaps_and_carry_every_seq_in_order()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        await chat.Send(chat.ClientUser, "before the subscription");
        var observer = new RecordingThreadObserver();
        var position = await observer.SubscribeTo(fixture.Client, chat.Thread);
        Assert.Equal(1, position.LastSeq);

        var sends = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => chat.Send(i % 2 == 0 ? chat.ClientUser : chat.Freelancer, $"m{i}")));
        var lastSeq = sends.Max(s => s.Message.Seq);

        var events = await observer.Events.WaitUntil(e => e.OfType<MessageCreated>().Any(c => c.Message.Seq == lastSeq), Deadline, "every message");
        Assert.Equal(Enumerable.Range(2, 60).Select(i => (long)i), events.OfType<MessageCreated>().Select(c => c.Message.Seq));
        var numbers = observer.Batches.Items.Select(b => b.Number).Order().ToArray();
        Assert.Equal(Enumerable.Range((int)position.LastBatch + 1, numbers.Length).Select(n => (long)n), numbers);
        Assert.All(observer.Batches.Items, b => Assert.Equal(position.Epoch, b.Epoch));
    }

    [Fact]
    public async Task A_new_activation_has_a_new_epoch_and_the_old_one_says_it_is_going()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var observer = new RecordingThreadObserver();
        var first = await observer.SubscribeTo(fixture.Client, chat.Thread);

        await fixture.Cluster.DeactivateAllAsync();

        var batches = await observer.Batches.WaitUntil(b => b.Any(x => x.Final), Deadline, "the final batch");
        Assert.Equal(first.Epoch, batches.Single(b => b.Final).Epoch);
        var second = await chat.Thread.Subscribe(fixture.Client.CreateObjectReference<IThreadObserver>(observer));
        Assert.True(second.Epoch > first.Epoch, "a later activation has a later epoch");
        Assert.Equal(0, second.LastBatch);
    }

    [Fact]
    public async Task A_commit_whose_answer_was_lost_is_published_without_a_retry_and_a_retry_gets_the_original()
    {
        var faults = new CommitFaults();
        await using var database = await TestDatabase.CreateAsync();
        await using var cluster = await ChatTestCluster.StartAsync(database, configure: silo => silo.Services.AddSingleton(faults));
        var chat = await ChatScenario.CreateAsync(cluster.Client);
        var observer = new RecordingThreadObserver();
        await observer.SubscribeTo(cluster.Client, chat.Thread);

        faults.LoseNextAnswer(chat.ThreadId);
        var lost = await Assert.ThrowsAsync<ChatException>(() => chat.Send(chat.ClientUser, "did it commit?", "lost-1"));
        Assert.Equal(ChatErrorKind.Unavailable, lost.Kind);

        // Nobody retries yet: the grain finds the message in the log by itself and publishes it.
        var events = await observer.Events.WaitUntil(e => e.OfType<MessageCreated>().Any(), Deadline, "the recovered message");
        var recovered = Assert.Single(events.OfType<MessageCreated>()).Message;
        Assert.Equal(("did it commit?", 1L, "lost-1"), (recovered.Text, recovered.Seq, recovered.ClientMessageId));

        var retry = await chat.Send(chat.ClientUser, "did it commit?", "lost-1");
        Assert.False(retry.Created);
        Assert.Equal(recovered, retry.Message);
        var next = await chat.Send(chat.Freelancer, "after");
        Assert.Equal(2, next.Message.Seq);
        events = await observer.Events.WaitUntil(e => e.OfType<MessageCreated>().Count() == 2, Deadline, "the next message");
        Assert.Equal([1L, 2L], events.OfType<MessageCreated>().Select(c => c.Message.Seq));
    }
}
