using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.LoadTest.Clients;

/// <summary>
/// The seed's WebSocket protocol (spec §4): one socket per (user, thread) at /ws/chat/{thread}/?token=. A send
/// is acknowledged by the sender's own chat_message echo (matched by client_message_id) or failed by an error
/// frame carrying that id.
/// </summary>
public sealed class WebSocketChatConnection(Uri front, long userId, string token, long threadId, IDeliverySink sink) : IChatConnection
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SeqOrderTracker _order = new();
    private Task? _receive;

    public long UserId { get; } = userId;

    public async Task ConnectAsync(CancellationToken ct)
    {
        var ws = new UriBuilder(new Uri(front, $"ws/chat/{threadId}/")) { Scheme = front.Scheme == "https" ? "wss" : "ws", Query = "token=" + Uri.EscapeDataString(token) };
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        await _socket.ConnectAsync(ws.Uri, ct);
        _receive = ReceiveLoopAsync();
    }

    public Task JoinAsync(long thread, CancellationToken ct) =>
        thread == threadId ? Task.CompletedTask : throw new InvalidOperationException("a WebSocket connection serves one thread");

    public async Task SendAsync(long thread, string text, string clientMessageId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[clientMessageId] = done;
        var frame = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["type"] = "chat_message",
            ["message"] = text,
            ["message_type"] = "text",
            ["metadata"] = null,
            ["client_message_id"] = clientMessageId,
        });
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, _stop.Token);
        }
        catch
        {
            _pending.TryRemove(clientMessageId, out _);
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
        await done.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Exception? error = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(4096), _stop.Token);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    error = _socket.CloseStatus is { } status and not WebSocketCloseStatus.NormalClosure
                        ? new WebSocketException($"closed {(int)status} {_socket.CloseStatusDescription}")
                        : null;
                    break;
                }
                Handle(buffer.WrittenSpan);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            error = e;
        }
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(error ?? new WebSocketException("socket closed"));
        }
        if (!_stop.IsCancellationRequested)
        {
            sink.OnClosed(error);
        }
    }

    private void Handle(ReadOnlySpan<byte> frame)
    {
        using var document = JsonDocument.Parse(frame.ToArray());
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "chat_message" when root.TryGetProperty("data", out var data):
                var received = WirePayload.FromJson(data);
                if (received.SenderId == UserId && received.ClientMessageId is { } clientId && _pending.TryRemove(clientId, out var ack))
                {
                    ack.TrySetResult();
                }
                sink.OnChatMessage(UserId, received, _order);
                break;
            case "error":
                var failedId = root.TryGetProperty("client_message_id", out var c) ? c.GetString() : null;
                var code = root.TryGetProperty("code", out var k) ? k.ToString() : "?";
                var message = root.TryGetProperty("message", out var m) ? m.GetString() : "";
                if (failedId is not null && _pending.TryRemove(failedId, out var failed))
                {
                    failed.TrySetException(new InvalidOperationException($"{code}: {message}"));
                }
                else
                {
                    sink.OnOtherEvent();
                }
                break;
            default:
                sink.OnOtherEvent();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        await _stop.CancelAsync();
        if (_receive is not null)
        {
            await _receive;
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
