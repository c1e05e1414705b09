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

    private readonly FrameSocket _socket;

    private WsTestClient()
    {
        _socket = new FrameSocket(message =>
        {
            using var document = JsonDocument.Parse(message.ToArray());
            Frames.Add(document.RootElement.Clone());
        });
        Closed = _socket.Ended.ContinueWith(end => end.Result.Status, TaskScheduler.Default);
    }

    public EventWaiter<JsonElement> Frames { get; } = new();

    /// <summary>The server's close code once the connection ended (null: aborted without a close frame).</summary>
    public Task<WebSocketCloseStatus?> Closed { get; }

    public WebSocketState State => _socket.State;

    public static Uri Url(ChatStack stack, long threadId, string? token, long? afterSeq = null, string tokenParameter = "token", Uri? front = null, bool trailingSlash = true) =>
        FrameSocket.ThreadUrl(front ?? stack.FrontUri, threadId, token, afterSeq, tokenParameter, trailingSlash);

    public static Task<WsTestClient> ConnectAsync(ChatStack stack, long threadId, TestUser user, long? afterSeq = null) =>
        ConnectAsync(Url(stack, threadId, user.Token, afterSeq));

    public static async Task<WsTestClient> ConnectAsync(Uri url)
    {
        var client = new WsTestClient();
        using var timeout = new CancellationTokenSource(Deadline);
        await client._socket.ConnectAsync(url, timeout.Token);
        return client;
    }

    /// <summary>Sends a text frame exactly as given (the seed's JSON literals go out verbatim).</summary>
    public Task SendTextAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true);

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _socket.SendAsync(bytes, type, endOfMessage, timeout.Token);
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
    public async Task<int?> WaitForCloseAsync() => (int?)await Closed.WaitAsync(Deadline);

    public Task CloseAsync() => _socket.CloseAsync();

    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    public static string? TypeOf(JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("type", out var t) ? t.GetString() : null;
}
