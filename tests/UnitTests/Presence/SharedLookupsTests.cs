using OrleansChat.WebFront.Presence;

namespace OrleansChat.UnitTests.Presence;

/// <summary>Lookups share queries without ever answering a caller from a query older than its call.</summary>
public sealed class SharedLookupsTests
{
    private sealed class FakeQuery
    {
        public List<(IReadOnlyCollection<long> Ids, TaskCompletionSource<IReadOnlySet<long>> Answer)> Calls { get; } = [];

        public Task<IReadOnlySet<long>> Run(IReadOnlyCollection<long> ids)
        {
            var answer = new TaskCompletionSource<IReadOnlySet<long>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Calls)
            {
                Calls.Add(([.. ids], answer));
            }
            return answer.Task;
        }

        public (IReadOnlyCollection<long> Ids, TaskCompletionSource<IReadOnlySet<long>> Answer) Call(int i)
        {
            lock (Calls)
            {
                return Calls[i];
            }
        }

        public int Count
        {
            get
            {
                lock (Calls)
                {
                    return Calls.Count;
                }
            }
        }
    }

    [Fact]
    public async Task Calls_during_a_query_share_the_next_one_and_get_its_answer()
    {
        var query = new FakeQuery();
        var lookups = new SharedLookups(query.Run);
        var first = lookups.AskAsync([1]);
        var second = lookups.AskAsync([2, 3]);
        var third = lookups.AskAsync([3, 4]);
        Assert.Equal(1, query.Count); // one query in flight; the others wait for the next

        // What the first query saw is older than the second and third calls: they must not get it.
        query.Call(0).Answer.SetResult(new HashSet<long> { 1, 2 });
        Assert.Equal([1L, 2L], (await first).Order());
        // The next query starts before the previous caller's answer completes.
        Assert.Equal(2, query.Count);
        Assert.Equal([2L, 3L, 4L], query.Call(1).Ids.Order());
        Assert.False(second.IsCompleted);

        query.Call(1).Answer.SetResult(new HashSet<long> { 3 });
        Assert.Equal([3L], (await second).Order());
        Assert.Equal([3L], (await third).Order());
        Assert.Equal(2, query.Count);
    }

    [Fact]
    public async Task A_failed_query_fails_its_callers_and_the_next_call_queries_again()
    {
        var query = new FakeQuery();
        var lookups = new SharedLookups(query.Run);
        var first = lookups.AskAsync([1]);
        var waiting = lookups.AskAsync([2]);
        query.Call(0).Answer.SetException(new TimeoutException("first"));
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        Assert.Equal(2, query.Count);
        query.Call(1).Answer.SetException(new TimeoutException("second"));
        Assert.Equal("second", (await Assert.ThrowsAsync<TimeoutException>(() => waiting)).Message);

        var later = lookups.AskAsync([5]);
        Assert.Equal(3, query.Count);
        query.Call(2).Answer.SetResult(new HashSet<long> { 5 });
        Assert.Equal([5L], (await later).Order());
    }
}
