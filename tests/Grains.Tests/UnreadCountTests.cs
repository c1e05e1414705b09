namespace OrleansChat.Grains.Tests;

/// <summary>
/// A randomized run of sends, reads, edits and deletes by both participants (and a service account), checked after
/// every step against a brute-force count over the stored messages, using the spec's rule (§6).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UnreadCountTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(20251125)]
    [InlineData(42)]
    public async Task Unread_counts_match_a_brute_force_count(int seed)
    {
        var random = new Random(seed);
        var chat = await ChatScenario.CreateAsync(fixture.Client);
        var service = new Caller(chat.ClientUser.Id + 500_000_000, "marketplace-bot", UserRole.Service);
        var admin = new Caller(chat.ClientUser.Id + 600_000_000, "moderator", UserRole.Admin);
        var model = new Dictionary<long, ReadModel> { [chat.ClientUser.Id] = new(), [chat.Freelancer.Id] = new() };
        var users = new[] { chat.ClientUser, chat.Freelancer };

        for (var step = 0; step < 150; step++)
        {
            var rows = await StoredAsync(chat.ThreadId);
            var user = users[random.Next(2)];
            var expectedBefore = Unread(rows, user.Id, model[user.Id]);
            switch (random.Next(10))
            {
                case < 4:
                    await chat.Send(user, $"step {step}");
                    break;
                case 4:
                    await chat.Thread.Send(new SendCommand(service, $"system note {step}", "system", null, null));
                    break;
                case 5 when rows.Count > 0:
                {
                    // Some of this thread's ids (own, others', deleted), plus ids of no message here: those are ignored.
                    var ids = rows.Where(_ => random.Next(3) == 0).Select(r => r.Id).Append(long.MaxValue - random.Next(1000)).ToArray();
                    var result = await chat.Thread.MarkRead(new MarkReadCommand(user, ids, null));
                    model[user.Id].Ids.UnionWith(ids.Where(id => rows.Any(r => r.Id == id)));
                    AssertMarked(rows, user, model, expectedBefore, result);
                    break;
                }
                case 6 when rows.Count > 0:
                {
                    var upTo = random.Next(0, rows.Count + 3);
                    var result = await chat.Thread.MarkRead(new MarkReadCommand(user, null, upTo));
                    model[user.Id].Cursor = Math.Max(model[user.Id].Cursor, Math.Min(upTo, rows.Max(r => r.Seq)));
                    AssertMarked(rows, user, model, expectedBefore, result);
                    break;
                }
                case 7:
                {
                    var result = await chat.Thread.MarkRead(new MarkReadCommand(user, null, null));
                    model[user.Id].Cursor = Math.Max(model[user.Id].Cursor, rows.Count == 0 ? 0 : rows.Max(r => r.Seq));
                    AssertMarked(rows, user, model, expectedBefore, result);
                    break;
                }
                case 8 when rows.Any(r => r.SenderId == user.Id && !r.IsDeleted):
                {
                    var own = rows.Where(r => r.SenderId == user.Id && !r.IsDeleted).ToArray();
                    await chat.Thread.Edit(user, own[random.Next(own.Length)].Id, $"edited at {step}", null, false);
                    break;
                }
                case 9 when rows.Any(r => !r.IsDeleted):
                {
                    var live = rows.Where(r => !r.IsDeleted).ToArray();
                    var victim = live[random.Next(live.Length)];
                    await chat.Thread.Delete(victim.SenderId == user.Id ? user : admin, victim.Id);
                    break;
                }
            }
            await AssertCountsAsync(chat, users, model, $"seed {seed}, step {step}");
        }

        // Derived state rebuilt from the durable source after every grain is gone.
        await fixture.Cluster.DeactivateAllAsync();
        await AssertCountsAsync(chat, users, model, $"seed {seed}, after deactivation");
    }

    private static void AssertMarked(List<Row> rows, Caller user, Dictionary<long, ReadModel> model, int expectedBefore, MarkReadResult result)
    {
        var expectedAfter = Unread(rows, user.Id, model[user.Id]);
        Assert.Equal(expectedBefore - expectedAfter, result.Marked);
        Assert.Equal(expectedAfter, result.UnreadCount);
    }

    private async Task AssertCountsAsync(ChatScenario chat, Caller[] users, Dictionary<long, ReadModel> model, string where)
    {
        var rows = await StoredAsync(chat.ThreadId);
        foreach (var user in users)
        {
            var expected = Unread(rows, user.Id, model[user.Id]);
            var view = await chat.Thread.GetView(user);
            Assert.True(expected == view.UnreadCount, $"{where}: {user.Username} expected {expected} unread, thread says {view.UnreadCount}");
            var inbox = await fixture.Client.GetGrain<IUserGrain>(user.Id).GetUnread();
            var inInbox = inbox.Threads.SingleOrDefault(t => t.ThreadId == chat.ThreadId)?.UnreadCount ?? 0;
            Assert.True(expected == inInbox, $"{where}: {user.Username} expected {expected} unread, inbox says {inInbox}");
        }
    }

    /// <summary>The spec's rule, by brute force: others' live messages above the cursor and not read one by one.</summary>
    private static int Unread(List<Row> rows, long userId, ReadModel read) =>
        rows.Count(r => r.SenderId != userId && !r.IsDeleted && r.Seq > read.Cursor && !read.Ids.Contains(r.Id));

    private async Task<List<Row>> StoredAsync(long threadId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT id, seq, sender_id, is_deleted FROM chat_messages WHERE thread_id = @t ORDER BY seq");
        command.Parameters.AddWithValue("t", threadId);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3)));
        }
        return rows;
    }

    private sealed record Row(long Id, long Seq, long SenderId, bool IsDeleted);

    private sealed class ReadModel
    {
        public long Cursor { get; set; }

        public HashSet<long> Ids { get; } = [];
    }
}
