using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Diagnostics;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;
using RawWebSocket = System.Net.WebSockets.WebSocket;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>Everything a session needs from the host, resolved once per connection.</summary>
public sealed record SessionServices(ChatCommands Chat, ThreadSubscriptions Subscriptions, ChatWebSocketOptions Options, ILogger Logger, CancellationToken Stopping, ConversationCommands Conversation);

/// <summary>
/// One authorized connection to one thread. It starts listening to the thread (Delivery/ThreadSubscriptions) before the
/// upgrade is even accepted (so everything committed after the client sees the socket open reaches it) and
/// before it reads catch-up; live events are held until catch-up has been queued and then released without the
/// messages catch-up already sent: no gap and no duplicate at the seam. Client frames are handled one at a time.
/// </summary>
public sealed class ChatWebSocketSession : IThreadListener, IDisposable
{
    private readonly long _threadId;
    private readonly WebSocketIdentity _identity;
    private readonly SessionServices _services;
    private readonly FloodGuard _flood;
    private readonly Lock _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private List<ThreadEvent>? _held = [];
    private long _sentUpToSeq;
    private bool _listening;
    private bool _heldOverflowed;
    private RawWebSocket _socket = null!;
    private OutgoingQueue _queue = null!;
    private IncomingFrameHandler _handler = null!;
    private Timer? _expiryTimer;

    public ChatWebSocketSession(long threadId, WebSocketIdentity identity, SessionServices services)
    {
        _threadId = threadId;
        _identity = identity;
        _services = services;
        _flood = new FloodGuard(services.Options.FloodFramesPerSecond, services.Options.FloodSeconds);
    }

    public long UserId => _identity.Caller.Id;

    /// <summary>Called by the thread's fan-out, in seq order: never blocks, never throws.</summary>
    public void OnEvent(ThreadEvent threadEvent)
    {
        if (threadEvent is ThreadChanged)
        {
            return;
        }
        lock (_gate)
        {
            if (_held is { } held)
            {
                if (held.Count >= _services.Options.SendQueueCapacity)
                {
                    // A gap is not an option: this connection ends (1013) and the client reconnects with after_seq.
                    _heldOverflowed = true;
                    _queue?.Close(ChatCloseCodes.TryAgainLater, "client too slow: reconnect and catch up", discardPending: true);
                    return;
                }
                held.Add(threadEvent);
                return;
            }
            EnqueueLive(threadEvent);
        }
    }

    /// <summary>Registers with the thread's subscription (events are held until <see cref="RunAsync"/> releases them).</summary>
    public async Task ListenAsync()
    {
        _listening = true;
        await _services.Subscriptions.AddSocketAsync(_threadId, this);
    }

    /// <summary>Runs the accepted connection to its end; returns only when the socket is closed or aborted.</summary>
    public async Task RunAsync(RawWebSocket socket, long? afterSeq)
    {
        var caller = _identity.Caller;
        var options = _services.Options;
        _socket = socket;
        _queue = new OutgoingQueue(socket, options.SendQueueCapacity, options.CloseTimeout, _threadId, _services.Logger) { ViewerId = caller.Id };
        _handler = new IncomingFrameHandler(_services.Chat, _services.Conversation, _threadId, caller, _queue, _services.Logger);
        WebSocketLog.Opened(_services.Logger, caller.Id, _threadId);
        var sending = _queue.RunAsync();
        ChatFrontMetrics.WebSocketConnected();
        StartExpiryTimer();
        // A front that shuts down says so (1012 "service restart"): the client reconnects, to another front, with after_seq.
        using var stopping = _services.Stopping.Register(() => Close(ChatCloseCodes.ServiceRestart, "server restarting: reconnect with after_seq"));
        try
        {
            await CatchUpAsync(afterSeq);
            await ReceiveAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ChannelClosedException or ObjectDisposedException)
        {
            // The client went away or the connection was closed while catching up.
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { Status: 503 })
        {
            Close(ChatCloseCodes.TryAgainLater, "chat cluster unavailable: retry");
        }
        catch (Exception e)
        {
            WebSocketLog.SessionFailed(_services.Logger, e, caller.Id, _threadId);
            Close(ChatCloseCodes.InternalError, "unexpected error");
        }
        finally
        {
            ChatFrontMetrics.WebSocketDisconnected();
            StopListening();
            Close(WebSocketCloseStatus.NormalClosure, "");
            await sending;
            WebSocketLog.Ended(_services.Logger, caller.Id, _threadId);
        }
    }

    public void Dispose()
    {
        StopListening();
        _expiryTimer?.Dispose();
        _queue?.Dispose();
    }

    private void StopListening()
    {
        if (_listening)
        {
            _listening = false;
            _services.Subscriptions.RemoveSocket(_threadId, this);
        }
    }

    /// <summary>Queues every message above <paramref name="afterSeq"/> (if given), then releases the held live events.</summary>
    private async Task CatchUpAsync(long? afterSeq)
    {
        var sentUpTo = afterSeq ?? 0;
        if (afterSeq is not null)
        {
            // Page by page; the queue's back-pressure paces the pages to the client's reading.
            var thread = _services.Chat.Thread(_threadId);
            await foreach (var message in CatchUp.ReadAsync(thread, _identity.Caller, sentUpTo))
            {
                await _queue.EnqueueAsync(new OutgoingFrame(WireEvents.ChatMessageFrame(MessageJson.From(message)), null), CancellationToken.None);
                sentUpTo = message.Message.Seq;
            }
        }
        lock (_gate)
        {
            if (_heldOverflowed)
            {
                _queue.Close(ChatCloseCodes.TryAgainLater, "client too slow: reconnect and catch up", discardPending: true);
                return;
            }
            _sentUpToSeq = sentUpTo;
            var held = _held!;
            _held = null;
            foreach (var e in held)
            {
                EnqueueLive(e);
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>: drops a new message the client already has (from catch-up or its after_seq).</summary>
    private void EnqueueLive(ThreadEvent threadEvent)
    {
        if (threadEvent is MessageCreated created && created.Message.Seq <= _sentUpToSeq)
        {
            return;
        }
        _queue.Enqueue(new OutgoingFrame(null, threadEvent));
    }

    private async Task ReceiveAsync()
    {
        var reader = new FrameReader(_socket, _services.Options.MaxFrameBytes);
        while (true)
        {
            var frame = await reader.ReadAsync(CancellationToken.None);
            if (frame.Kind == FrameKind.Close)
            {
                // Answer the client's close (after whatever is already queued); 1000 is always a valid answer.
                Close(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (_queue.Closing is not null)
            {
                // Closing: only the peer's close answer matters now.
                continue;
            }
            if (_flood.Register(Stopwatch.GetElapsedTime(_started)))
            {
                var options = _services.Options;
                _handler.Refuse(429, $"Too many frames: more than {options.FloodFramesPerSecond} per second for {options.FloodSeconds} seconds.");
                Close(ChatCloseCodes.Flood, "flood");
                continue;
            }
            switch (frame.Kind)
            {
                case FrameKind.TooLarge:
                    _handler.Refuse(413, $"Frame too large: at most {_services.Options.MaxFrameBytes} bytes.");
                    Close(ChatCloseCodes.TooBig, "frame too large");
                    break;
                case FrameKind.Binary:
                    _handler.Refuse(400, "Binary frames are not supported: send JSON text frames.");
                    break;
                default:
                    await _handler.HandleAsync(frame.Payload);
                    break;
            }
        }
    }

    private void Close(WebSocketCloseStatus status, string reason)
    {
        if (_queue.Closing is null)
        {
            WebSocketLog.Closing(_services.Logger, _identity.Caller.Id, _threadId, (int)status, reason);
        }
        _queue.Close(status, reason);
    }

    /// <summary>A connection lives no longer than its token (spec §1): at exp it closes with 4401.</summary>
    private void StartExpiryTimer()
    {
        _expiryTimer = new Timer(_ => OnExpiryTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        OnExpiryTimer();
    }

    private void OnExpiryTimer()
    {
        var remaining = _identity.ExpiresAt - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            Close(ChatCloseCodes.Unauthorized, "token expired");
            return;
        }
        // Timers take at most ~49 days; a longer-lived token simply re-arms.
        var due = remaining < TimeSpan.FromDays(30) ? remaining : TimeSpan.FromDays(30);
        try
        {
            _expiryTimer?.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The session ended meanwhile.
        }
    }
}
