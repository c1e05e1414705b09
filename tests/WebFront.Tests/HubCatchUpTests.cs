namespace OrleansChat.WebFront.Tests;

/// <summary>Hub catch-up of any length with bounded memory: JoinThread returns a bounded page, the rest follows as events.</summary>
public sealed class HubCatchUpTests : IAsyncLifetime
{
    private const int MaxCatchUp = 5;
    private readonly ChatStack _stack = new();

    public Task InitializeAsync()
    {
        _stack.FrontSettings["Chat:Realtime:MaxCatchUp"] = MaxCatchUp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _stack.InitializeAsync();
    }

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task A_backlog_beyond_the_return_limit_arrives_complete_and_in_order()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        for (var i = 1; i <= 13; i++)
        {
            await ChatApi.SendAsync(_stack, client, threadId, $"backlog {i}");
        }
        await using var hub = await HubClient.ConnectAsync(_stack.FrontUri, freelancer.Token);

        var returned = await hub.JoinAsync(threadId, afterSeq: 2);

        Assert.Equal([3L, 4L, 5L, 6L, 7L], SeqOrder.Seqs(returned.EnumerateArray()));
        var pushed = await hub.WaitFor("chat_message", e => e.Count >= 6, "the rest of the backlog");
        Assert.Equal([8L, 9L, 10L, 11L, 12L, 13L], SeqOrder.Seqs(pushed));

        // Live messages follow the backlog on the same connection, in order.
        await ChatApi.SendAsync(_stack, client, threadId, "live");
        var all = await hub.WaitFor("chat_message", e => e.Count >= 7, "the live message");
        Assert.Null(SeqOrder.Problem(SeqOrder.Seqs(all), Enumerable.Range(8, 7).Select(i => (long)i), "hub"));
    }
}
