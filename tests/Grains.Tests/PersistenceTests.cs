using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>Everything a user sees survives deactivation of every grain and a full restart of the cluster.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Threads_messages_read_state_unread_and_inbox_order_survive_deactivation_and_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        var cluster = await ChatTestCluster.StartAsync(database);
        Snapshot before;
        Caller clientUser;
        Caller[] freelancers;
        try
        {
            var first = await ChatScenario.CreateAsync(cluster.Client, jobId: 1);
            clientUser = first.ClientUser;
            freelancers = [first.Freelancer, await NewFreelancerAsync(cluster.Client, 2), await NewFreelancerAsync(cluster.Client, 3)];
            var threads = new List<ChatScenario> { first };
            foreach (var f in freelancers.Skip(1))
            {
                var created = await cluster.Client.GetGrain<IThreadDirectoryGrain>(IThreadDirectoryGrain.KeyFor(clientUser.Id, f.Id, null)).GetOrCreate();
                threads.Add(first with { Freelancer = f, ThreadId = created.ThreadId });
            }
            // Activity in an order that differs from creation order, so inbox order is meaningful.
            await threads[1].Send(freelancers[1], "from f2 (1)");
            await threads[0].Send(clientUser, "to f1");
            var f1Reply = await threads[0].Send(freelancers[0], "from f1");
            await threads[0].Send(freelancers[0], "from f1 again");
            await threads[2].Send(freelancers[2], "from f3");
            await threads[1].Send(freelancers[1], "from f2 (2)");
            await threads[0].Thread.MarkRead(new MarkReadCommand(clientUser, [f1Reply.Message.Id], null));
            await threads[1].Thread.UpdateSettings(clientUser, new ThreadSettings(true, null, null));
            await threads[2].Thread.UpdateSettings(clientUser, new ThreadSettings(null, true, null));

            before = await Snapshot.TakeAsync(cluster.Client, clientUser, freelancers);
            Assert.Equal([threads[1].ThreadId, threads[0].ThreadId], before.ClientInbox.Select(t => t.Id));
            Assert.Equal([threads[2].ThreadId], before.ClientArchived.Select(t => t.Id));
            Assert.Equal(4, before.ClientUnread.Total); // f1: 1 of 2 read; f2: 2 (muted still counts); f3: 1 (archived still counts)

            await cluster.DeactivateAllAsync();
            Assert.Equal(before, await Snapshot.TakeAsync(cluster.Client, clientUser, freelancers));
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        // A full restart: a new cluster over the same database.
        var restarted = await ChatTestCluster.StartAsync(database);
        try
        {
            Assert.Equal(before, await Snapshot.TakeAsync(restarted.Client, clientUser, freelancers));
            // And the seq continues where it stopped.
            var next = await restarted.Client.GetGrain<IThreadGrain>(before.ClientInbox[0].Id).Send(new SendCommand(clientUser, "after restart", "text", null, null));
            Assert.Equal(before.ClientInbox[0].LastSeq + 1, next.Message.Seq);
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }

    private static async Task<Caller> NewFreelancerAsync(IClusterClient client, int n)
    {
        var id = Random.Shared.NextInt64(2_000_000_000, 3_000_000_000);
        var caller = new Caller(id, $"freelancer-{n}-{id}", UserRole.Freelancer);
        await client.GetGrain<IUserGrain>(id).RecordProfile(new UserProfile(id, caller.Username, UserRole.Freelancer, null, "Designer", "40.00"));
        return caller;
    }

    private sealed record ThreadFacts(long Id, long LastSeq, long? LastMessageId, int Unread, bool Muted, bool Archived);

    private sealed record MessageFacts(long Id, long Seq, string Text, long SenderId, bool IsRead);

    private sealed record Snapshot(
        IReadOnlyList<ThreadFacts> ClientInbox,
        IReadOnlyList<ThreadFacts> ClientArchived,
        UnreadSummaryFacts ClientUnread,
        IReadOnlyList<IReadOnlyList<MessageFacts>> Messages,
        IReadOnlyList<UnreadSummaryFacts> FreelancerUnread)
    {
        public static async Task<Snapshot> TakeAsync(IClusterClient client, Caller clientUser, Caller[] freelancers)
        {
            var user = client.GetGrain<IUserGrain>(clientUser.Id);
            var inbox = (await user.ListThreads(false, 0, 100)).Threads.Select(Facts).ToArray();
            var archived = (await user.ListThreads(true, 0, 100)).Threads.Select(Facts).ToArray();
            var messages = new List<IReadOnlyList<MessageFacts>>();
            foreach (var thread in inbox.Concat(archived).OrderBy(t => t.Id))
            {
                var page = await client.GetGrain<IThreadGrain>(thread.Id).GetMessages(clientUser, null, 0, 200);
                messages.Add([.. page.Messages.Select(m => new MessageFacts(m.Message.Id, m.Message.Seq, m.Message.Text, m.Message.Sender.Id, m.IsRead))]);
            }
            var freelancerUnread = new List<UnreadSummaryFacts>();
            foreach (var f in freelancers)
            {
                freelancerUnread.Add(UnreadSummaryFacts.Of(await client.GetGrain<IUserGrain>(f.Id).GetUnread()));
            }
            return new Snapshot(inbox, archived, UnreadSummaryFacts.Of(await user.GetUnread()), messages, freelancerUnread);
        }

        public bool Equals(Snapshot? other) => other is not null
            && ClientInbox.SequenceEqual(other.ClientInbox)
            && ClientArchived.SequenceEqual(other.ClientArchived)
            && ClientUnread == other.ClientUnread
            && Messages.Count == other.Messages.Count
            && Messages.Zip(other.Messages).All(p => p.First.SequenceEqual(p.Second))
            && FreelancerUnread.SequenceEqual(other.FreelancerUnread);

        public override int GetHashCode() => ClientInbox.Count;

        private static ThreadFacts Facts(ThreadView v) =>
            new(v.Info.Id, v.Info.LastSeq, v.Info.LastMessage?.Id, v.UnreadCount, v.IsMuted, v.IsArchived);
    }

    private sealed record UnreadSummaryFacts(int Total, string PerThread)
    {
        public static UnreadSummaryFacts Of(UnreadSummary s) => new(s.Total, string.Join(",", s.Threads.Select(t => $"{t.ThreadId}:{t.UnreadCount}")));
    }
}
