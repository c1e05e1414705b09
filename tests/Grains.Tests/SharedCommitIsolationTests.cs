using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansChat.Grains.Storage;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>
/// The silo-wide append queue commits the rows of many threads in one statement. A row PostgreSQL refuses must fail
/// only its own thread, with a 4xx, while every other thread of that statement commits (issue 14).
/// </summary>
public sealed class SharedCommitIsolationTests
{
    private static readonly Caller Sender = new(42, "sender42", UserRole.Client);

    [Fact]
    public async Task Rows_PostgreSQL_refuses_fail_only_their_own_thread_and_the_other_threads_of_the_statement_commit()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var queue = new MessageAppendQueue(new MessageStore(database.DataSource),
            Options.Create(new AppendQueueOptions { Writers = 1 }), NullLogger<MessageAppendQueue>.Instance);

        // Hold the only writer on a table lock, so every later append queues behind it and they all go to
        // PostgreSQL together, as one statement, once the lock is released.
        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var lockTransaction = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE chat_messages IN EXCLUSIVE MODE", blocker, lockTransaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        var first = queue.AppendAsync([Row(100, "first")]);
        await WaitUntilAWriterWaitsForTheLockAsync(database);

        var good = Enumerable.Range(1, 6).Select(i => (Thread: 100L + i, Append: queue.AppendAsync([Row(100 + i, $"good {i}"), Row(100 + i, $"good {i} again", seq: 2)]))).ToArray();
        // What PostgreSQL cannot store: a NUL in text (SQLSTATE 22021), a \u0000 escape in jsonb (22P05).
        var nulText = queue.AppendAsync([Row(200, "bad \0 text")]);
        var nulJson = queue.AppendAsync([Row(201, "bad metadata", metadata: "{\"a\":\"x\\u0000y\"}")]);
        Assert.All(good, g => Assert.False(g.Append.IsCompleted));

        await lockTransaction.CommitAsync();
        Assert.Single(await first);
        foreach (var (thread, append) in good)
        {
            var appended = await append;
            Assert.Equal([1L, 2L], appended.Select(a => a.Seq));
            Assert.All(appended, a => Assert.Equal(thread, a.ThreadId));
        }
        foreach (var bad in new[] { nulText, nulJson })
        {
            var error = await Assert.ThrowsAsync<ChatException>(() => bad);
            Assert.Equal(ChatErrorKind.Invalid, error.Kind);
        }
        Assert.Equal(13, await database.ScalarAsync<long>("SELECT count(*) FROM chat_messages"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id >= 200"));
    }

    [Fact]
    public async Task Through_the_thread_grain_a_refused_row_is_a_422_for_its_sender_only()
    {
        await using var database = await TestDatabase.CreateAsync();
        var cluster = await ChatTestCluster.StartAsync(database);
        try
        {
            // Several rounds on the same silo: a refusal must also leave nothing behind on the pooled connections
            // for later senders (npgsql/npgsql#6391: an auto-prepared statement out of step after a refused one
            // failed a later, valid append with "Received unexpected backend message DataRow").
            for (var round = 0; round < 15; round++)
            {
                var good = await ChatScenario.CreateAsync(cluster.Client);
                var bad = await ChatScenario.CreateAsync(cluster.Client);
                // The front refuses these before they reach a grain; a grain must still never turn them into a 500.
                var sends = Enumerable.Range(0, 20).Select(i => good.Thread.Send(new SendCommand(good.ClientUser, $"fine {i}", "text", null, null))).ToList();
                var refused = bad.Thread.Send(new SendCommand(bad.ClientUser, "nul \0 here", "text", null, null));
                // Refused by PostgreSQL itself, at execution (a \u0000 escape in jsonb): the prepared statement stays in step.
                var refusedByServer = bad.Thread.Send(new SendCommand(bad.ClientUser, "escaped nul", "text", "{\"a\":\"x\\u0000y\"}", null));
                var alongside = bad.Thread.Send(new SendCommand(bad.Freelancer, "a good send in the same thread", "text", null, null));
                Assert.Equal(20, (await Task.WhenAll(sends)).Select(r => r.Message.Seq).Distinct().Count());
                var error = await Assert.ThrowsAsync<ChatException>(() => refused);
                Assert.Equal(ChatErrorKind.Invalid, error.Kind);
                Assert.Equal(ChatErrorKind.Invalid, (await Assert.ThrowsAsync<ChatException>(() => refusedByServer)).Kind);
                Assert.Equal(1, (await alongside).Message.Seq);
                Assert.Equal(2, (await bad.Thread.Send(new SendCommand(bad.ClientUser, "and the thread goes on", "text", null, null))).Message.Seq);
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static NewMessage Row(long thread, string text, long seq = 1, string? metadata = null) =>
        new(thread, seq, Sender, text, "text", metadata, null, DateTime.UtcNow, null);

    private static Task WaitUntilAWriterWaitsForTheLockAsync(TestDatabase database) =>
        Eventually.Holds(async () => await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'chat_messages'::regclass") > 0,
            TimeSpan.FromSeconds(20), "a writer to wait for the lock", TimeSpan.FromMilliseconds(10));
}
