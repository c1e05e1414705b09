using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansChat.WebFront.WebSocket;

namespace OrleansChat.WebFront.Tests;

/// <summary>The flood guard's arithmetic and the send queue's overflow, without a network.</summary>
public sealed class WebSocketUnitTests
{
    [Fact]
    public void The_flood_guard_trips_in_the_fifth_consecutive_second_over_the_limit()
    {
        var guard = new FloodGuard(50, 5);
        for (var second = 0; second < 4; second++)
        {
            for (var i = 0; i < 60; i++)
            {
                Assert.False(guard.Register(TimeSpan.FromSeconds(second) + TimeSpan.FromMilliseconds(i * 15)));
            }
        }
        var fifth = TimeSpan.FromSeconds(4);
        for (var i = 0; i < 50; i++)
        {
            Assert.False(guard.Register(fifth + TimeSpan.FromMilliseconds(i)));
        }
        Assert.True(guard.Register(fifth + TimeSpan.FromMilliseconds(60)));
    }

    [Fact]
    public void The_flood_guard_ignores_bursts_and_restarts_after_a_calm_or_silent_second()
    {
        var guard = new FloodGuard(50, 5);
        var t = TimeSpan.Zero;
        // A backlog of 1,000 frames read within one second is a burst, not a flood.
        for (var i = 0; i < 1_000; i++)
        {
            Assert.False(guard.Register(t));
        }
        // Three more seconds over (four in a row with the burst), one calm second (50 exactly), four over again.
        int[] perSecond = [60, 60, 60, 50, 60, 60, 60, 60];
        for (var s = 0; s < perSecond.Length; s++)
        {
            for (var i = 0; i < perSecond[s]; i++)
            {
                Assert.False(guard.Register(TimeSpan.FromSeconds(1 + s) + TimeSpan.FromMilliseconds(i)));
            }
        }
        // A silent second (11) breaks the streak too: second 12 would otherwise be the fifth in a row.
        for (var i = 0; i < 60; i++)
        {
            Assert.False(guard.Register(TimeSpan.FromSeconds(12) + TimeSpan.FromMilliseconds(i)));
        }
    }

    [Fact]
    public async Task A_full_send_queue_closes_with_1013_without_blocking_the_producer()
    {
        using var socket = new StuckWebSocket();
        using var queue = new OutgoingQueue(socket, capacity: 10, closeTimeout: TimeSpan.FromMilliseconds(200), threadId: 1, NullLogger.Instance);
        var sending = queue.RunAsync();
        var frame = new OutgoingFrame([(byte)'{', (byte)'}'], null);

        // The first frame is taken by the sending loop and hangs in SendAsync; 10 fill the queue; the next overflows.
        queue.Enqueue(frame);
        await socket.SendStarted.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(frame);
        }
        Assert.Null(queue.Closing);
        queue.Enqueue(frame);

        Assert.Equal((WebSocketCloseStatus)1013, queue.Closing?.Status);
        Assert.True(queue.Closing!.DiscardPending);
        // The close timeout aborts the socket that never took its frame, and the sending loop ends.
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(socket.Aborted);
        Assert.Equal(1, socket.SendCalls);
    }

    /// <summary>A peer that never reads: every send hangs until the socket is aborted.</summary>
    private sealed class StuckWebSocket : System.Net.WebSockets.WebSocket
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _sendStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SendStarted => _sendStarted.Task;

        public bool Aborted => _aborted.Task.IsCompleted;

        public int SendCalls { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => Aborted ? WebSocketState.Aborted : WebSocketState.Open;

        public override string? SubProtocol => null;

        public override void Abort() => _aborted.TrySetResult();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose() => Abort();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            SendCalls++;
            _sendStarted.TrySetResult();
            await _aborted.Task;
            throw new WebSocketException(WebSocketError.InvalidState, "aborted");
        }
    }
}
