using System.Net.WebSockets;
using System.Threading.Channels;
using OrleansChat.WebFront.Delivery;
using RawWebSocket = System.Net.WebSockets.WebSocket;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>A frame waiting to be sent: bytes already rendered, or a thread event rendered by the sending loop.</summary>
public readonly record struct OutgoingFrame(byte[]? Bytes, ThreadEvent? Event);

/// <summary>
/// The one writer of a connection. Frames go through a bounded queue and a single sending loop, so producers (the
/// fan-out, the receive loop, catch-up) never wait on the network; a client that falls a whole queue behind is
/// closed with 1013 instead of stalling anyone. Closing is part of the stream: the close frame follows the frames
/// queued before it (an <c>error</c> reaches the client before the close it explains), and a peer that does not read
/// or answer within the close timeout is aborted.
/// </summary>
public sealed class OutgoingQueue : IDisposable
{
    private readonly RawWebSocket _socket;
    private readonly Channel<OutgoingFrame> _channel;
    private readonly TimeSpan _closeTimeout;
    private readonly ILogger _logger;
    private readonly long _threadId;
    private readonly Lock _timerGate = new();
    private CloseRequest? _close;
    private Timer? _abortTimer;
    private bool _disposed;

    public OutgoingQueue(RawWebSocket socket, int capacity, TimeSpan closeTimeout, long threadId, ILogger logger)
    {
        _socket = socket;
        _closeTimeout = closeTimeout;
        _threadId = threadId;
        _logger = logger;
        _channel = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The close the connection is heading for, once one was requested.</summary>
    public CloseRequest? Closing => Volatile.Read(ref _close);

    /// <summary>Queues without waiting; a full queue closes the connection (1013). Never blocks the caller.</summary>
    public void Enqueue(OutgoingFrame frame)
    {
        if (!_channel.Writer.TryWrite(frame) && Closing is null)
        {
            Close(ChatCloseCodes.TryAgainLater, "client too slow: reconnect and catch up", discardPending: true);
        }
    }

    /// <summary>Queues, waiting for room: catch-up streams at the pace the client reads.</summary>
    public ValueTask EnqueueAsync(OutgoingFrame frame, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(frame, cancellationToken);

    /// <summary>Requests the close; the first request wins. Frames queued before it are still sent unless discarded.</summary>
    public void Close(WebSocketCloseStatus status, string reason, bool discardPending = false)
    {
        var request = new CloseRequest(status, reason, discardPending);
        if (Interlocked.CompareExchange(ref _close, request, null) is not null)
        {
            return;
        }
        _channel.Writer.TryComplete();
        lock (_timerGate)
        {
            if (!_disposed)
            {
                // The backstop: a peer that stopped reading (the send hangs) or never answers the close is cut off.
                _abortTimer = new Timer(static state => ((RawWebSocket)state!).Abort(), _socket, _closeTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The sending loop; ends after the close frame is sent or the socket failed.</summary>
    public async Task RunAsync()
    {
        try
        {
            await foreach (var frame in _channel.Reader.ReadAllAsync())
            {
                if (Closing is { DiscardPending: true })
                {
                    break;
                }
                if (Render(frame) is { } bytes)
                {
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            var close = Closing ?? CloseRequest.Normal;
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(close.Status, close.Reason, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer is gone or the socket was aborted: nothing more can be sent.
        }
        finally
        {
            // Unblocks a catch-up waiting for room and makes later enqueues no-ops.
            Close(WebSocketCloseStatus.NormalClosure, "", discardPending: true);
        }
    }

    /// <summary>The connection's user: per-viewer fields of events are rendered for them.</summary>
    public long ViewerId { get; init; }

    public void Dispose()
    {
        lock (_timerGate)
        {
            _disposed = true;
            _abortTimer?.Dispose();
        }
    }

    private byte[]? Render(OutgoingFrame frame)
    {
        if (frame.Bytes is not null)
        {
            return frame.Bytes;
        }
        try
        {
            return WireEvents.WebSocketFrame(frame.Event!, ViewerId);
        }
        catch (Exception e)
        {
            // One unrenderable event must not end the connection; the client can re-read the message by seq.
            WebSocketLog.RenderFailed(_logger, e, frame.Event!.GetType().Name, _threadId);
            return null;
        }
    }
}

public sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool DiscardPending)
{
    public static CloseRequest Normal { get; } = new(WebSocketCloseStatus.NormalClosure, "", false);
}
