using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>Framing and flood rules of the WebSocket endpoint: bad frames, sizes, fragments, floods (spec §4 limits).</summary>
public sealed partial class WebSocketTests
{
    [Theory]
    [InlineData("{not json", 400)]
    [InlineData("[1, 2, 3]", 422)]
    [InlineData("""{"message": "no type"}""", 422)]
    [InlineData("""{"type": "shout", "message": "hi"}""", 422)]
    [InlineData("""{"type": "chat_message", "message": "   ", "message_type": "text", "metadata": {}}""", 422)]
    [InlineData("""{"type": "chat_message", "message": "hi", "message_type": "text", "metadata": "not an object"}""", 422)]
    [InlineData("""{"type": "chat_message", "message": "hi", "message_type": "payment", "metadata": null}""", 422)]
    [InlineData("""{"type": "mark_messages_read", "message_ids": ["a"]}""", 422)]
    [InlineData("""{"type": "typing_indicator"}""", 422)]
    [InlineData("""{"type": "typing_indicator", "is_typing": "yes"}""", 422)]
    public async Task A_bad_frame_gets_an_error_with_its_code_and_the_socket_keeps_working(string frame, int code)
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);

        await ws.SendTextAsync(frame);

        var error = Assert.Single(await ws.WaitForAsync("error"));
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        await AssertStillWorksAsync(ws);
    }

    [Fact]
    public async Task A_refused_send_names_its_client_message_id_and_a_binary_frame_is_refused()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);

        await ws.SendJsonAsync(new { type = "chat_message", message = "", message_type = "text", metadata = (object?)null, client_message_id = "empty-1" });
        var error = Assert.Single(await ws.WaitForAsync("error"));
        Assert.Equal(422, error.GetProperty("code").GetInt32());
        Assert.Equal("empty-1", error.GetProperty("client_message_id").GetString());

        await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, endOfMessage: true);
        var errors = await ws.WaitForAsync("error", 2);
        Assert.Equal(400, errors[1].GetProperty("code").GetInt32());
        Assert.False(errors[1].TryGetProperty("client_message_id", out _));
        await AssertStillWorksAsync(ws);
    }

    [Fact]
    public async Task A_text_frame_split_across_several_websocket_frames_is_reassembled()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        var bytes = Encoding.UTF8.GetBytes("""{"type": "chat_message", "message": "in three parts — ünïcödé split", "message_type": "text", "metadata": {"k": 1}}""");

        // Cut inside a multi-byte character too: reassembly works on bytes, not per fragment.
        var cut1 = 10;
        var cut2 = Array.IndexOf(bytes, (byte)0xC3) + 1;
        await ws.SendAsync(bytes.AsMemory(0, cut1), WebSocketMessageType.Text, endOfMessage: false);
        await ws.SendAsync(bytes.AsMemory(cut1, cut2 - cut1), WebSocketMessageType.Text, endOfMessage: false);
        await ws.SendAsync(bytes.AsMemory(cut2), WebSocketMessageType.Text, endOfMessage: true);

        var echo = Assert.Single(await ws.WaitForAsync("chat_message")).GetProperty("data");
        Assert.Equal("in three parts — ünïcödé split", echo.GetProperty("message").GetString());
        Assert.Equal(1, echo.GetProperty("metadata").GetProperty("k").GetInt32());
    }

    [Fact]
    public async Task A_frame_over_256_KiB_gets_an_error_and_close_1009()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        var text = new string('x', 300 * 1024);

        await ws.SendJsonAsync(new { type = "chat_message", message = text, message_type = "text", metadata = (object?)null });

        Assert.Equal(1009, await ws.WaitForCloseAsync());
        var error = Assert.Single(ws.OfType("error"));
        Assert.Equal(413, error.GetProperty("code").GetInt32());
        Assert.Empty(ws.OfType("chat_message"));
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId)));
    }

    [Fact]
    public async Task A_frame_just_under_the_limit_is_accepted()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        // 10,000 four-byte code points: the longest message, 40 KB, plus 16 KiB of metadata stays under 256 KiB.
        var text = string.Concat(Enumerable.Repeat("😀", 10_000));

        await ws.SendJsonAsync(new { type = "chat_message", message = text, message_type = "text", metadata = new { pad = new string('p', 16_000) } });

        var echo = Assert.Single(await ws.WaitForAsync("chat_message")).GetProperty("data");
        Assert.Equal(text, echo.GetProperty("message").GetString());
    }


    [Fact]
    public async Task A_flooding_client_gets_an_error_and_close_1008()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        var frame = Encoding.UTF8.GetBytes("""{"type": "typing_indicator", "is_typing": true}""");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);

        // As fast as the socket takes them, until the server closes (or the deadline says it never did).
        while (!ws.Closed.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                await ws.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true);
            }
            catch (WebSocketException)
            {
                break;
            }
        }

        Assert.Equal(1008, await ws.WaitForCloseAsync());
        var error = Assert.Single(ws.OfType("error"));
        Assert.Equal(429, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Fast_typing_with_two_frames_per_keypress_never_trips_the_flood_guard()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var other = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        // 20 keypresses a second (a very fast typist) for 6.5 s, each sending true then false as the seed's
        // handleTyping does: 40 frames/s, more than 5 s long, never more than the allowed 50 per second.
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        for (var key = 0; key < 130; key++)
        {
            await tick.WaitForNextTickAsync();
            await ws.SendTextAsync("""{"type": "typing_indicator", "is_typing": true}""");
            await ws.SendTextAsync("""{"type": "typing_indicator", "is_typing": false}""");
        }

        await AssertStillWorksAsync(ws);
        Assert.Empty(ws.OfType("error"));
        Assert.False(ws.Closed.IsCompleted);
        Assert.Contains(other.OfType("typing_indicator"), f => f.GetProperty("is_typing").GetBoolean());
    }
}
