using System.Buffers;
using System.Net.WebSockets;

namespace OrleansChat.ChatClients;

/// <summary>How a <see cref="FrameSocket"/> ended: the server's close code and reason, or the error that ended it.</summary>
public sealed record FrameSocketEnd(WebSocketCloseStatus? Status, string? Description, Exception? Error);

/// <summary>
/// A client WebSocket that sends one message at a time (the socket allows one outstanding send), hands every
/// received message, reassembled from its frames, to a callback, and answers a server's close like a browser does.
/// The seed protocol's clients (load harness, chaos tool, tests) all sit on it.
/// </summary>
public sealed class FrameSocket : IAsyncDisposable
{
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<FrameSocketEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ReadOnlySpan<byte>> _onMessage;
    private Task _receiving = Task.CompletedTask;

    /// <param name="onMessage">called on the receive loop for each whole message; an exception from it ends the socket</param>
    public FrameSocket(Action<ReadOnlySpan<byte>> onMessage)
    {
        _onMessage = onMessage;
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
    }

    public WebSocketState State => _socket.State;

    /// <summary>Completes when the socket ended: a close from the server, an abort, or an error.</summary>
    public Task<FrameSocketEnd> Ended => _ended.Task;

    /// <summary>The seed protocol's address of a thread: ws(s)://front/ws/chat/{thread}/?token=…[&amp;after_seq=…].</summary>
    public static Uri ThreadUrl(Uri front, long threadId, string? token, long? afterSeq = null, string tokenParameter = "token", bool trailingSlash = true)
    {
        var query = new List<string>();
        if (token is not null)
        {
            query.Add($"{tokenParameter}={Uri.EscapeDataString(token)}");
        }
        if (afterSeq is { } after)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"after_seq={after}"));
        }
        var path = string.Create(CultureInfo.InvariantCulture, $"ws/chat/{threadId}{(trailingSlash ? "/" : "")}");
        return new UriBuilder(new Uri(front, path)) { Scheme = front.Scheme == "https" ? "wss" : "ws", Query = string.Join('&', query) }.Uri;
    }

    public async Task ConnectAsync(Uri url, CancellationToken ct)
    {
        await _socket.ConnectAsync(url, ct);
        _receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a close and waits for the server's answer (or <see cref="CloseTimeout"/>).</summary>
    public async Task CloseAsync(string reason = "bye")
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
            }
        }
        finally
        {
            _sendLock.Release();
        }
        await _ended.Task.WaitAsync(CloseTimeout);
    }

    /// <summary>Drops the connection without a close handshake, as a crashed client would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await CloseAsync("done");
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
            {
                // The server is gone or slow: the abort below ends it either way.
            }
        }
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), CancellationToken.None);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync();
                    _ended.TrySetResult(new FrameSocketEnd(_socket.CloseStatus, _socket.CloseStatusDescription, null));
                    return;
                }
                _onMessage(buffer.WrittenSpan);
            }
        }
        catch (Exception e)
        {
            // An abort (ours or the network's) is an ending without a close frame; anything else is kept for the caller.
            var error = e is ObjectDisposedException or OperationCanceledException ? null : e;
            _ended.TrySetResult(new FrameSocketEnd(_socket.CloseStatus, _socket.CloseStatusDescription, error));
        }
    }

    private async Task AnswerCloseAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The server already went away.
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
