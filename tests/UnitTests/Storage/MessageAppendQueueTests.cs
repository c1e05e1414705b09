using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Storage;
using OrleansChat.TestSupport;

namespace OrleansChat.UnitTests.Storage;

/// <summary>
/// Silo-wide group commit: rows that arrive while a commit runs wait for it and go together, unless enough of them
/// wait to be worth a commit of their own; never more commits at once than there are writers.
/// </summary>
public sealed class MessageAppendQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Caller Sender = new(1, "client1", UserRole.Client);

    [Fact]
    public async Task Rows_that_arrive_while_a_commit_runs_go_together_once_it_ends()
    {
        var store = new GatedStore();
        await using var queue = Queue(store, writers: 4, overlapRows: 16);

        var a = queue.AppendAsync([Row(1)]);
        var first = await store.NextCallAsync();
        var later = new[] { queue.AppendAsync([Row(2)]), queue.AppendAsync([Row(3)]), queue.AppendAsync([Row(4), Row(4, 2)]) };
        await Eventually.Holds(() => queue.WaitingRows == 4, Patience, "the four rows held back behind the running commit");
        Assert.Equal(1, store.Calls);

        first.Commit();
        Assert.Equal(1, (await a.WaitAsync(Patience)).Single().ThreadId);
        var second = await store.NextCallAsync();
        Assert.Equal([2L, 3L, 4L, 4L], second.Rows.Select(r => r.ThreadId));
        second.Commit();
        var answers = await Task.WhenAll(later).WaitAsync(Patience);
        Assert.Equal([(2L, 1L), (3L, 1L), (4L, 1L), (4L, 2L)], answers.SelectMany(x => x).Select(x => (x.ThreadId, x.Seq)));
        Assert.Equal(1, store.MostAtOnce);
    }

    [Fact]
    public async Task Enough_waiting_rows_start_a_commit_beside_the_running_one()
    {
        var store = new GatedStore();
        await using var queue = Queue(store, writers: 4, overlapRows: 3);

        _ = queue.AppendAsync([Row(1)]);
        var first = await store.NextCallAsync();
        _ = queue.AppendAsync([Row(2)]);
        _ = queue.AppendAsync([Row(3)]);
        _ = queue.AppendAsync([Row(4)]);

        var second = await store.NextCallAsync(); // while the first is still running
        Assert.Equal([2L, 3L, 4L], second.Rows.Select(r => r.ThreadId));
        Assert.Equal(2, store.MostAtOnce);
        first.Commit();
        second.Commit();
    }

    [Fact]
    public async Task Never_more_commits_at_once_than_writers()
    {
        var store = new GatedStore();
        await using var queue = Queue(store, writers: 2, overlapRows: 1);

        var a = queue.AppendAsync([Row(1)]);
        var first = await store.NextCallAsync();
        _ = queue.AppendAsync([Row(2)]);
        var second = await store.NextCallAsync(); // a free writer and one row waiting: it starts
        var c = queue.AppendAsync([Row(3)]);
        var d = queue.AppendAsync([Row(4)]);

        first.Commit();
        await a.WaitAsync(Patience);
        var third = await store.NextCallAsync();
        Assert.Equal([3L, 4L], third.Rows.Select(r => r.ThreadId)); // waited for a writer, then went together
        third.Commit();
        second.Commit();
        await Task.WhenAll(c, d).WaitAsync(Patience);
        Assert.Equal(2, store.MostAtOnce);
        Assert.Equal(3, store.Calls);
    }

    [Fact]
    public async Task A_failed_commit_fails_only_its_own_senders_and_the_queue_goes_on()
    {
        var store = new GatedStore();
        await using var queue = Queue(store, writers: 4, overlapRows: 16);

        var doomed = queue.AppendAsync([Row(1)]);
        (await store.NextCallAsync()).Fail(new ChatException(ChatErrorKind.Unavailable, "down"));
        Assert.Equal(ChatErrorKind.Unavailable, (await Assert.ThrowsAsync<ChatException>(() => doomed.WaitAsync(Patience))).Kind);

        var next = queue.AppendAsync([Row(2)]);
        (await store.NextCallAsync()).Commit();
        Assert.Equal(2, (await next.WaitAsync(Patience)).Single().ThreadId);
    }

    [Fact]
    public async Task Disposing_waits_for_running_commits_and_refuses_new_rows()
    {
        var store = new GatedStore();
        await using var queue = Queue(store, writers: 4, overlapRows: 16);
        var running = queue.AppendAsync([Row(1)]);
        var call = await store.NextCallAsync();

        var disposing = queue.DisposeQueueAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        Assert.Equal(ChatErrorKind.Unavailable, Assert.Throws<ChatException>(() => { _ = queue.AppendAsync([Row(2)]); }).Kind);
        call.Commit();
        await disposing.WaitAsync(Patience);
        Assert.True(running.IsCompletedSuccessfully);
    }

    private static QueueUnderTest Queue(GatedStore store, int writers, int overlapRows) =>
        new(new MessageAppendQueue(store.AppendAsync, Options.Create(new AppendQueueOptions { Writers = writers, OverlapRows = overlapRows }), NullLogger<MessageAppendQueue>.Instance), store);

    /// <summary>The queue, disposed after the store has answered every call still open (a failed assertion must not hang the run).</summary>
    private sealed class QueueUnderTest(MessageAppendQueue queue, GatedStore store) : IAsyncDisposable
    {
        public Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> rows) => queue.AppendAsync(rows);

        public int WaitingRows => queue.WaitingRows;

        public ValueTask DisposeQueueAsync() => queue.DisposeAsync();

        public async ValueTask DisposeAsync()
        {
            store.FailOpen();
            await queue.DisposeAsync().AsTask().WaitAsync(Patience);
        }
    }

    private static NewMessage Row(long threadId, long seq = 1) =>
        new(threadId, seq, Sender, "hello", "text", null, null, DateTime.UtcNow, null);

    /// <summary>An append that answers only when the test says, and counts how many ran at once.</summary>
    private sealed class GatedStore
    {
        private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();
        private readonly Lock _gate = new();
        private readonly List<Call> _taken = [];
        private int _running;
        private long _nextId;

        public int MostAtOnce { get; private set; }

        public int Calls { get; private set; }

        public Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> rows)
        {
            var call = new Call(rows, this);
            lock (_gate)
            {
                _running++;
                Calls++;
                MostAtOnce = Math.Max(MostAtOnce, _running);
            }
            _calls.Writer.TryWrite(call);
            return call.Done.Task;
        }

        /// <summary>Fails every call not answered yet.</summary>
        public void FailOpen()
        {
            while (_calls.Reader.TryRead(out var call))
            {
                call.Fail(new InvalidOperationException("never answered by the test"));
            }
            foreach (var call in _taken)
            {
                call.Done.TrySetException(new InvalidOperationException("never answered by the test"));
            }
        }

        public async Task<Call> NextCallAsync()
        {
            var call = await _calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            _taken.Add(call);
            return call;
        }

        private void Ended()
        {
            lock (_gate)
            {
                _running--;
            }
        }

        public sealed class Call(IReadOnlyList<NewMessage> rows, GatedStore store)
        {
            public IReadOnlyList<NewMessage> Rows { get; } = rows;

            public TaskCompletionSource<IReadOnlyList<AppendedMessage>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public void Commit()
            {
                store.Ended();
                Done.TrySetResult([.. Rows.Select(r => new AppendedMessage(r.ThreadId, r.Seq, Interlocked.Increment(ref store._nextId)))]);
            }

            public void Fail(Exception error)
            {
                store.Ended();
                Done.TrySetException(error);
            }
        }
    }
}
