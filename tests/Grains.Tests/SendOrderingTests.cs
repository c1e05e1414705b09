namespace OrleansChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SendOrderingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Concurrent_senders_get_gap_free_seqs_and_each_message_is_stored_once()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        const int senders = 200, perSender = 10;

        // 200 concurrent send loops (both participants, many calls in flight at once), 10 messages each.
        var results = await Task.WhenAll(Enumerable.Range(0, senders).Select(async s =>
        {
            var sender = s % 2 == 0 ? chat.ClientUser : chat.Freelancer;
            var mine = new List<SendResult>();
            for (var i = 0; i < perSender; i++)
            {
                mine.Add(await chat.Send(sender, $"sender {s} message {i}", $"s{s}-m{i}"));
            }
            return mine;
        }));

        var acked = results.SelectMany(r => r).ToList();
        Assert.All(acked, r => Assert.True(r.Created));
        Assert.Equal(Enumerable.Range(1, senders * perSender).Select(i => (long)i), acked.Select(r => r.Message.Seq).Order());
        Assert.Equal(acked.Count, acked.Select(r => r.Message.Id).Distinct().Count());

        // Each sender's own messages keep their send order.
        foreach (var mine in results)
        {
            Assert.Equal(mine.Select(r => r.Message.Seq).Order(), mine.Select(r => r.Message.Seq));
        }

        var stored = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", chat.ThreadId));
        var distinctSeqs = await fixture.Database.ScalarAsync<long>("SELECT count(DISTINCT seq) FROM chat_messages WHERE thread_id = @t", ("t", chat.ThreadId));
        Assert.Equal(senders * perSender, stored);
        Assert.Equal(senders * perSender, distinctSeqs);

        var paged = await chat.ReadAllAsync(chat.ClientUser);
        Assert.Equal(Enumerable.Range(1, senders * perSender).Select(i => (long)i), paged.Select(m => m.Message.Seq));
        var byId = acked.ToDictionary(r => r.Message.Id, r => r.Message);
        Assert.All(paged, m => Assert.Equal(byId[m.Message.Id].Text, m.Message.Text));
    }

    [Fact]
    public async Task Every_ack_comes_after_both_inboxes_show_the_message_also_while_the_next_commit_runs()
    {
        // Commits of a busy thread overlap with the previous batch's inbox update: the ack must still wait for it.
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var inboxes = new[] { chat.ClientUser, chat.Freelancer }.Select(u => fixture.Client.GetGrain<IUserGrain>(u.Id)).ToArray();
        var stale = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(async s =>
        {
            var sender = s % 2 == 0 ? chat.ClientUser : chat.Freelancer;
            for (var i = 0; i < 15; i++)
            {
                var acked = await chat.Send(sender, $"sender {s} message {i}");
                foreach (var inbox in inboxes)
                {
                    var view = (await inbox.ListThreads(false, 0, 10)).Threads.Single(v => v.Info.Id == chat.ThreadId);
                    if (view.Info.LastSeq < acked.Message.Seq)
                    {
                        stale.Add($"seq {acked.Message.Seq} acked, inbox of {inbox.GetPrimaryKeyLong()} at {view.Info.LastSeq}");
                    }
                }
            }
        }));
        Assert.Empty(stale);
    }

    [Fact]
    public async Task History_pages_walk_backwards_and_forwards_without_overlap()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        for (var i = 1; i <= 25; i++)
        {
            await chat.Send(i % 2 == 0 ? chat.ClientUser : chat.Freelancer, $"m{i}");
        }

        var newest = await chat.Thread.GetMessages(chat.ClientUser, null, null, 10);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), newest.Messages.Select(m => m.Message.Seq));
        Assert.True(newest.HasMore);
        Assert.Equal(25, newest.LastSeq);

        var older = await chat.Thread.GetMessages(chat.ClientUser, 16, null, 10);
        Assert.Equal(Enumerable.Range(6, 10).Select(i => (long)i), older.Messages.Select(m => m.Message.Seq));
        Assert.True(older.HasMore);

        var oldest = await chat.Thread.GetMessages(chat.ClientUser, 6, null, 10);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), oldest.Messages.Select(m => m.Message.Seq));
        Assert.False(oldest.HasMore);

        var catchUp = await chat.Thread.GetMessages(chat.ClientUser, null, 20, 10);
        Assert.Equal(Enumerable.Range(21, 5).Select(i => (long)i), catchUp.Messages.Select(m => m.Message.Seq));
        Assert.False(catchUp.HasMore);
    }

    [Fact]
    public async Task Outsiders_are_told_the_thread_does_not_exist()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var outsider = new Caller(chat.Freelancer.Id + 1_000_000, "outsider", UserRole.Freelancer);

        var send = await Assert.ThrowsAsync<ChatException>(() => chat.Send(outsider, "hi"));
        Assert.Equal(ChatErrorKind.NotFound, send.Kind);
        var read = await Assert.ThrowsAsync<ChatException>(() => chat.Thread.GetMessages(outsider, null, null, 10));
        Assert.Equal(ChatErrorKind.NotFound, read.Kind);
        var unknown = await Assert.ThrowsAsync<ChatException>(() => fixture.Client.GetGrain<IThreadGrain>(long.MaxValue - 7).GetView(chat.ClientUser));
        Assert.Equal(ChatErrorKind.NotFound, unknown.Kind);
    }

    [Fact]
    public async Task Only_one_active_thread_exists_per_participants_and_job()
    {
        var chat = await ChatScenario.CreateAsync(fixture.Client, jobId: 7);
        var key = IThreadDirectoryGrain.KeyFor(chat.ClientUser.Id, chat.Freelancer.Id, 7);

        var again = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.Client.GetGrain<IThreadDirectoryGrain>(key).GetOrCreate()));
        Assert.All(again, r => Assert.Equal(chat.ThreadId, r.ThreadId));
        Assert.All(again, r => Assert.False(r.Created));

        var withoutJob = await fixture.Client.GetGrain<IThreadDirectoryGrain>(IThreadDirectoryGrain.KeyFor(chat.ClientUser.Id, chat.Freelancer.Id, null)).GetOrCreate();
        Assert.True(withoutJob.Created);
        Assert.NotEqual(chat.ThreadId, withoutJob.ThreadId);

        // Closing the thread frees the triple; a new active thread may then be created, and the old one cannot be reopened.
        await chat.Thread.UpdateSettings(chat.ClientUser, new ThreadSettings(null, null, false));
        Assert.Null(await fixture.Client.GetGrain<IThreadDirectoryGrain>(key).FindActive());
        var replacement = await fixture.Client.GetGrain<IThreadDirectoryGrain>(key).GetOrCreate();
        Assert.True(replacement.Created);
        var reopen = await Assert.ThrowsAsync<ChatException>(() => chat.Thread.UpdateSettings(chat.ClientUser, new ThreadSettings(null, null, true)));
        Assert.Equal(ChatErrorKind.Conflict, reopen.Kind);
        var closedSend = await Assert.ThrowsAsync<ChatException>(() => chat.Send(chat.ClientUser, "into a closed thread"));
        Assert.Equal(ChatErrorKind.Conflict, closedSend.Kind);
    }
}
