using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// A real <see cref="ClientWebSocket"/> on /ws/chat/{thread}/ that records every JSON frame it receives and the
/// close the server sent, and answers a server close like a browser does. Sends are serialized, as the socket
/// allows one outstanding send at a time.
/// </summary>
public sealed class WsTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;

    private WsTestClient()
    {
    }

    public EventWaiter<JsonElement> Frames { get; } = new();

    /// <summary>The server's close code once the connection ended (null: aborted without a close frame).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public WebSocketState State => _socket.State;

    public static Uri Url(ChatStack stack, long threadId, string? token, long? afterSeq = null, string tokenParameter = "token", Uri? front = null, bool trailingSlash = true)
    {
        var http = front ?? stack.FrontUri;
        var query = new List<string>();
        if (token is not null)
        {
            query.Add($"{tokenParameter}={Uri.EscapeDataString(token)}");
        }
        if (afterSeq is { } after)
        {
            query.Add($"after_seq={after}");
        }
        var path = $"ws/chat/{threadId}{(trailingSlash ? "/" : "")}";
        return new UriBuilder(new Uri(http, path)) { Scheme = "ws", Query = string.Join('&', query) }.Uri;
    }

    public static Task<WsTestClient> ConnectAsync(ChatStack stack, long threadId, TestUser user, long? afterSeq = null) =>
        ConnectAsync(Url(stack, threadId, user.Token, afterSeq));

    public static async Task<WsTestClient> ConnectAsync(Uri url)
    {
        var client = new WsTestClient();
        using var timeout = new CancellationTokenSource(Deadline);
        await client._socket.ConnectAsync(url, timeout.Token);
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Sends a text frame exactly as given (the seed's JSON literals go out verbatim).</summary>
    public Task SendTextAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true);

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage)
    {
        await _sendLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Deadline);
            await _socket.SendAsync(bytes, type, endOfMessage, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Frames of one type received so far.</summary>
    public IReadOnlyList<JsonElement> OfType(string type) => [.. Frames.Items.Where(f => TypeOf(f) == type)];

    /// <summary>Waits until at least <paramref name="count"/> frames of <paramref name="type"/> arrived; returns them all.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string type, int count = 1, Func<JsonElement, bool>? where = null)
    {
        bool Matches(JsonElement f) => TypeOf(f) == type && (where is null || where(f));
        var frames = await Frames.WaitUntil(all => all.Count(Matches) >= count, Deadline, $"{count} '{type}' frame(s)");
        return [.. frames.Where(Matches)];
    }

    /// <summary>Waits for the server's close and returns its code.</summary>
    public async Task<int?> WaitForCloseAsync()
    {
        var status = await _closed.Task.WaitAsync(Deadline);
        return (int?)status;
    }

    public async Task CloseAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(Deadline);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        finally
        {
            _sendLock.Release();
        }
        await _closed.Task.WaitAsync(Deadline);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await CloseAsync();
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    public static string? TypeOf(JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("type", out var t) ? t.GetString() : null;

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync();
                    _closed.TrySetResult(_socket.CloseStatus);
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    Frames.Add(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
    }

    private async Task AnswerCloseAsync()
    {
        await _sendLock.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(Deadline);
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
