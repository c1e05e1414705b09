namespace OrleansChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_retry_returns_the_original_and_stores_nothing_new()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var first = await chat.Send(chat.ClientUser, "pay me", "retry-1");
        var retry = await chat.Send(chat.ClientUser, "pay me (typed again)", "retry-1");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.Message, retry.Message);
        Assert.Equal(1, await CountAsync(chat, "retry-1"));
    }

    [Fact]
    public async Task Concurrent_retries_create_one_message()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => chat.Send(chat.Freelancer, "same", "burst-1")));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Message.Id).Distinct());
        Assert.Equal(1, await CountAsync(chat, "burst-1"));
        Assert.Equal(1, (await chat.Thread.GetView(chat.Freelancer)).Info.LastSeq);
    }

    [Fact]
    public async Task A_retry_after_deactivation_is_found_in_the_log()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var first = await chat.Send(chat.ClientUser, "before", "deact-1");
        await chat.Send(chat.Freelancer, "other");
        await fixture.Cluster.DeactivateAllAsync();

        // The retry arrives at a fresh activation together with new sends: it must resolve to the original,
        // and the new sends must still get the next seqs without a gap.
        var sends = await Task.WhenAll(
            chat.Send(chat.ClientUser, "after", "deact-1"),
            chat.Send(chat.ClientUser, "new 1", "deact-2"),
            chat.Send(chat.Freelancer, "new 2"));

        Assert.False(sends[0].Created);
        Assert.Equal(first.Message.Id, sends[0].Message.Id);
        Assert.Equal(first.Message.Seq, sends[0].Message.Seq);
        Assert.Equal([3L, 4L], sends.Skip(1).Select(s => s.Message.Seq).Order());
        Assert.Equal(1, await CountAsync(chat, "deact-1"));
        Assert.Equal(4, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", chat.ThreadId)));
    }

    [Fact]
    public async Task The_same_client_message_id_from_the_other_participant_is_a_different_message()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var a = await chat.Send(chat.ClientUser, "mine", "shared-id");
        var b = await chat.Send(chat.Freelancer, "theirs", "shared-id");
        Assert.True(b.Created);
        Assert.NotEqual(a.Message.Id, b.Message.Id);
    }

    private Task<long> CountAsync(ChatScenario chat, string clientMessageId) =>
        fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM chat_messages WHERE thread_id = @t AND client_message_id = @c", ("t", chat.ThreadId), ("c", clientMessageId));
}
