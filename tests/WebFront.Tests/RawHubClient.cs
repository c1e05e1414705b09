using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// A SignalR JSON-protocol client on a raw WebSocket, so the test can send bytes the .NET client never would
/// (invalid UTF-8, lone surrogate escapes). Invocations are sent one at a time and their completion awaited.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const byte Separator = 0x1E;
    private readonly ClientWebSocket _socket = new();
    private readonly List<byte> _pending = [];
    private int _nextId;

    public static async Task<RawHubClient> ConnectAsync(Uri front, string token)
    {
        var client = new RawHubClient();
        var url = new UriBuilder(new Uri(front, "hubs/chat")) { Scheme = "ws", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
        await client._socket.ConnectAsync(url, timeout.Token);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}"u8.ToArray());
        var handshake = await client.ReceiveRecordAsync() ?? throw new InvalidOperationException("no handshake answer");
        Assert.Equal("{}", handshake);
        return client;
    }

    /// <summary>Invokes <paramref name="target"/> with the raw argument list; returns whether the connection closed, and the error if any.</summary>
    public async Task<(bool Closed, string? Error)> InvokeAsync(string target, byte[] arguments)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await SendAsync([.. Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":["), .. arguments, .. "]}"u8]);
            while (await ReceiveRecordAsync() is { } record)
            {
                var message = JsonDocument.Parse(record).RootElement;
                if (message.GetProperty("type").GetInt32() == 7)
                {
                    return (true, message.TryGetProperty("error", out var e) ? e.GetString() : null);
                }
                if (message.GetProperty("type").GetInt32() == 3 && message.GetProperty("invocationId").GetString() == id)
                {
                    return (false, message.TryGetProperty("error", out var error) ? error.GetString() : null);
                }
            }
            return (true, null);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return (true, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Already gone.
        }
        _socket.Dispose();
    }

    private async Task SendAsync(byte[] record)
    {
        using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
        // Binary frames: a text frame of invalid UTF-8 would fail the WebSocket itself (RFC 6455 §8.1, close 1007) before
        // SignalR saw it; binary frames carry the same bytes to the hub protocol, as long polling and SSE posts do.
        await _socket.SendAsync((byte[])[.. record, Separator], WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>The next record (without its separator), or null when the server closed.</summary>
    private async Task<string?> ReceiveRecordAsync()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var end = _pending.IndexOf(Separator);
            if (end >= 0)
            {
                var record = Encoding.UTF8.GetString([.. _pending.Take(end)]);
                _pending.RemoveRange(0, end + 1);
                return record;
            }
            using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, result.Count));
        }
    }
}
