using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// Spec §6 under stress, without reconnects: threads with two sockets and a hub connection each, bursts of
/// concurrent sends, and every round the listeners are closed and new ones opened on the same threads. Every
/// listener must receive every message sent after it opened, once, in seq order.
/// </summary>
public sealed class DeliveryOrderTests(ChatStack stack, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ChatStack>
{
    private const int Threads = 20;
    private const int Rounds = 10;
    private const int Burst = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bursts_with_listeners_coming_and_going_arrive_complete_and_in_order_everywhere()
    {
        var threads = await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => ChatApi.NewThreadAsync(stack)));
        var listeners = new List<Listener>();
        var problems = new ConcurrentBag<string>();
        var delivered = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // Odd rounds open the new listeners before closing the old ones, even rounds close first: both races.
            var old = listeners;
            if (round % 2 == 0)
            {
                await Task.WhenAll(old.Select(l => l.DisposeAsync().AsTask()));
            }
            listeners = [.. await Task.WhenAll(threads.SelectMany(t => new[]
            {
                Listener.SocketAsync(stack, t.ThreadId, t.Client),
                Listener.SocketAsync(stack, t.ThreadId, t.Freelancer),
                Listener.HubAsync(stack, t.ThreadId, t.Freelancer),
            }))];
            if (round % 2 == 1)
            {
                await Task.WhenAll(old.Select(l => l.DisposeAsync().AsTask()));
            }

            var acked = await Task.WhenAll(threads.SelectMany(t => Enumerable.Range(0, Burst).Select(async i =>
            {
                var sender = i % 2 == 0 ? t.Client : t.Freelancer;
                var message = await ChatApi.SendAsync(stack, sender, t.ThreadId, $"round {round} message {i}");
                return (t.ThreadId, Seq: message.GetProperty("seq").GetInt64());
            })));
            var expected = acked.ToLookup(a => a.ThreadId, a => a.Seq);
            await Task.WhenAll(listeners.Select(async l =>
            {
                var want = expected[l.ThreadId].ToArray();
                try
                {
                    await l.WaitForAsync(want);
                }
                catch (TimeoutException)
                {
                    // reported below with what arrived
                }
                if (SeqOrder.Problem(l.Seqs(), want, $"round {round} {l}") is { } problem)
                {
                    problems.Add(problem);
                }
                Interlocked.Add(ref delivered, l.Seqs().Count);
            }));
        }
        await Task.WhenAll(listeners.Select(l => l.DisposeAsync().AsTask()));

        output.WriteLine($"{Threads * Rounds * Burst} messages sent, {delivered} deliveries checked, {problems.Count} problems");
        Assert.True(problems.IsEmpty, string.Join("\n", problems.Take(10)));
    }

    /// <summary>A socket or a joined hub connection, seen only through the chat_message seqs it received.</summary>
    private abstract class Listener(long threadId, string kind) : IAsyncDisposable
    {
        public long ThreadId { get; } = threadId;

        public static async Task<Listener> SocketAsync(ChatStack stack, long threadId, TestUser user) =>
            new SocketListener(threadId, await WsTestClient.ConnectAsync(stack, threadId, user));

        public static async Task<Listener> HubAsync(ChatStack stack, long threadId, TestUser user)
        {
            var hub = await HubClient.ConnectAsync(stack.FrontUri, user.Token);
            await hub.JoinAsync(threadId);
            return new HubListener(threadId, hub);
        }

        public abstract IReadOnlyList<long> Seqs();

        public abstract Task WaitForAsync(long[] seqs);

        public abstract ValueTask DisposeAsync();

        public override string ToString() => $"{kind} on thread {ThreadId}";
    }

    private sealed class SocketListener(long threadId, WsTestClient socket) : Listener(threadId, "socket")
    {
        public override IReadOnlyList<long> Seqs() => SeqOrder.Seqs(socket.OfType("chat_message").Select(f => f.GetProperty("data")));

        public override Task WaitForAsync(long[] seqs) =>
            socket.Frames.WaitUntil(_ => SeqOrder.Covers(Seqs(), seqs), Deadline, $"{this} to receive its round");

        public override ValueTask DisposeAsync() => socket.DisposeAsync();
    }

    private sealed class HubListener(long threadId, HubClient hub) : Listener(threadId, "hub")
    {
        public override IReadOnlyList<long> Seqs() => SeqOrder.Seqs(hub.Received("chat_message"));

        public override Task WaitForAsync(long[] seqs) =>
            hub.Events.WaitUntil(_ => SeqOrder.Covers(Seqs(), seqs), Deadline, $"{this} to receive its round");

        public override ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}
