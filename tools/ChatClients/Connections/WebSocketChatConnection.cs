using System.Net.WebSockets;

namespace OrleansChat.ChatClients;

/// <summary>
/// The seed's WebSocket protocol (spec §4): one socket per (user, thread) at /ws/chat/{thread}/?token=. A send
/// is acknowledged by the sender's own chat_message echo (matched by client_message_id) or failed by an error
/// frame carrying that id.
/// </summary>
public sealed class WebSocketChatConnection : IChatConnection
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new();
    private readonly SeqOrderTracker _order = new();
    private readonly Uri _url;
    private readonly IDeliverySink _sink;
    private readonly long _threadId;
    private readonly FrameSocket _socket;
    private volatile bool _disposing;

    public WebSocketChatConnection(Uri front, long userId, string token, long threadId, IDeliverySink sink)
    {
        UserId = userId;
        _url = FrameSocket.ThreadUrl(front, threadId, token);
        _threadId = threadId;
        _sink = sink;
        _socket = new FrameSocket(Handle);
    }

    public long UserId { get; }

    public async Task ConnectAsync(CancellationToken ct)
    {
        await _socket.ConnectAsync(_url, ct);
        _ = _socket.Ended.ContinueWith(ended => OnEnded(ended.Result), TaskScheduler.Default);
    }

    public Task JoinAsync(long thread, CancellationToken ct) =>
        thread == _threadId ? Task.CompletedTask : throw new InvalidOperationException("a WebSocket connection serves one thread");

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
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch
        {
            _pending.TryRemove(clientMessageId, out _);
            throw;
        }
        await done.Task;
    }

    private void OnEnded(FrameSocketEnd end)
    {
        var error = end.Error ?? (end.Status is { } status and not WebSocketCloseStatus.NormalClosure
            ? new WebSocketException($"closed {(int)status} {end.Description}")
            : null);
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(error ?? new WebSocketException("socket closed"));
        }
        if (!_disposing)
        {
            _sink.OnClosed(error);
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
                _sink.OnChatMessage(UserId, received, _order);
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
                    _sink.OnOtherEvent();
                }
                break;
            default:
                _sink.OnOtherEvent();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        await _socket.DisposeAsync();
    }
}
