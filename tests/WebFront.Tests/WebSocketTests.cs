using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// The seed's WebSocket protocol (spec §4) against the real stack: real ClientWebSockets on a real front, a real
/// silo and PostgreSQL. Negative assertions ("the typist does not get its own indicator") use an ordering barrier
/// (a later event through the same thread) instead of waiting for nothing.
/// </summary>
public sealed class WebSocketTests(ChatStack stack) : IClassFixture<ChatStack>
{
    // The seed's client → server examples, byte for byte.
    private const string SeedChatMessage = """
        {
          "type": "chat_message",
          "message": "Hello world",
          "message_type": "text",
          "metadata": {}
        }
        """;

    private const string SeedTyping = """
        {
          "type": "typing_indicator",
          "is_typing": true
        }
        """;

    [Fact]
    public async Task Seed_chat_message_is_echoed_to_the_sender_and_delivered_to_the_other_participant()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var clientWs = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        await clientWs.SendTextAsync(SeedChatMessage);

        var echo = Assert.Single(await clientWs.WaitForAsync("chat_message"));
        var delivered = Assert.Single(await freelancerWs.WaitForAsync("chat_message"));
        foreach (var frame in new[] { echo, delivered })
        {
            Assert.Equal(["data", "type"], frame.EnumerateObject().Select(p => p.Name).Order());
            var data = frame.GetProperty("data");
            Assert.True(data.GetProperty("id").GetInt64() > 0);
            Assert.Equal(1, data.GetProperty("seq").GetInt64());
            Assert.Equal(threadId, data.GetProperty("thread").GetInt64());
            Assert.Equal(client.Id, data.GetProperty("sender").GetProperty("id").GetInt64());
            Assert.Equal(client.Username, data.GetProperty("sender").GetProperty("username").GetString());
            Assert.Equal("Hello world", data.GetProperty("message").GetString());
            Assert.Equal("text", data.GetProperty("message_type").GetString());
            Assert.EndsWith("Z", data.GetProperty("sent_at").GetString());
            Assert.Equal(JsonValueKind.Object, data.GetProperty("metadata").ValueKind);
            Assert.Empty(data.GetProperty("metadata").EnumerateObject());
        }
        Assert.Equal(echo.GetProperty("data").GetProperty("id").GetInt64(), delivered.GetProperty("data").GetProperty("id").GetInt64());

        // Acknowledged means stored.
        var stored = await stack.Database.ScalarAsync<string>("SELECT message FROM chat_messages WHERE id = @id AND thread_id = @t",
            ("id", echo.GetProperty("data").GetProperty("id").GetInt64()), ("t", threadId));
        Assert.Equal("Hello world", stored);
    }

    [Fact]
    public async Task Seed_mark_messages_read_reports_the_ids_and_the_reader_to_the_sender()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ChatApi.SendAsync(stack, client, threadId, $"unread {i}")).GetProperty("id").GetInt64());
        }
        await using var clientWs = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        // The seed's shape with this thread's ids in place of its [1, 2, 3].
        await freelancerWs.SendTextAsync($$"""
            {
              "type": "mark_messages_read",
              "message_ids": [{{string.Join(", ", ids)}}]
            }
            """);

        var read = Assert.Single(await clientWs.WaitForAsync("messages_read"));
        Assert.Equal(ids, read.GetProperty("message_ids").EnumerateArray().Select(e => e.GetInt64()).Order());
        Assert.Equal(freelancer.Username, read.GetProperty("reader").GetString());
        Assert.DoesNotContain(read.EnumerateObject(), p => p.Name == "thread");

        using var http = stack.Http(freelancer.Token);
        var unread = await http.GetFromJsonAsync<JsonElement>("api/chat/unread-count/");
        Assert.Equal(0, unread.GetProperty("unread_count").GetInt32());
    }

    [Fact]
    public async Task Seed_typing_indicator_reaches_the_other_participant_but_not_the_typist()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var clientWs = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        await freelancerWs.SendTextAsync(SeedTyping);

        var typing = Assert.Single(await clientWs.WaitForAsync("typing_indicator"));
        Assert.Equal(["is_typing", "type", "user"], typing.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(freelancer.Username, typing.GetProperty("user").GetString());
        Assert.True(typing.GetProperty("is_typing").GetBoolean());

        // Barrier: a message published after the indicator; had the typist received its own indicator, it came first.
        await freelancerWs.SendTextAsync("""{"type": "chat_message", "message": "after typing", "message_type": "text", "metadata": null}""");
        await freelancerWs.WaitForAsync("chat_message");
        Assert.Empty(freelancerWs.OfType("typing_indicator"));
    }

    [Fact]
    public async Task Edits_and_deletes_over_REST_arrive_as_message_edited_and_message_deleted()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var sent = await ChatApi.SendAsync(stack, client, threadId, "first version");
        var id = sent.GetProperty("id").GetInt64();
        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        using var http = stack.Http(client.Token);
        var edit = await http.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "second version" });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var edited = Assert.Single(await freelancerWs.WaitForAsync("message_edited")).GetProperty("data");
        Assert.Equal(id, edited.GetProperty("id").GetInt64());
        Assert.Equal("second version", edited.GetProperty("message").GetString());
        Assert.True(edited.GetProperty("is_edited").GetBoolean());

        var delete = await http.DeleteAsync($"api/chat/messages/{id}/");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var deleted = Assert.Single(await freelancerWs.WaitForAsync("message_deleted")).GetProperty("data");
        Assert.Equal(["id", "seq", "thread"], deleted.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(id, deleted.GetProperty("id").GetInt64());
        Assert.Equal(threadId, deleted.GetProperty("thread").GetInt64());
        Assert.Equal(1, deleted.GetProperty("seq").GetInt64());
    }

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

    public static TheoryData<string> BadTokens => ["missing", "garbage", "wrong-key", "expired", "alg-none", "wrong-audience", "bad-claims"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_missing_or_expired_token_is_closed_with_4401(string kind)
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var token = kind switch
        {
            "missing" => null,
            "garbage" => "not-a-jwt",
            "wrong-key" => stack.Tokens.Mint(client.Id, client.Username, "client", key: "another-signing-key-0123456789abcdef0123"),
            "expired" => stack.Tokens.Mint(client.Id, client.Username, "client", lifetime: TimeSpan.FromMinutes(-10)),
            "alg-none" => TestTokens.Unsigned(client.Id, client.Username, "client"),
            "wrong-audience" => stack.Tokens.Mint(client.Id, client.Username, "client", audience: "billing"),
            "bad-claims" => stack.Tokens.Mint(client.Id, client.Username, "superuser"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, token));

        Assert.Equal(4401, await ws.WaitForCloseAsync());
        Assert.Empty(ws.Frames.Items);
    }

    [Fact]
    public async Task Access_token_and_a_path_without_trailing_slash_are_accepted()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, client.Token, tokenParameter: "access_token", trailingSlash: false));
        await AssertStillWorksAsync(ws);
    }

    [Fact]
    public async Task An_outsider_an_unknown_thread_and_a_nonsense_id_are_closed_with_4403()
    {
        var (_, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var outsider = TestUser.Create(stack, "client");

        await using var foreign = await WsTestClient.ConnectAsync(stack, threadId, outsider);
        Assert.Equal(4403, await foreign.WaitForCloseAsync());

        await using var unknown = await WsTestClient.ConnectAsync(stack, threadId + 1_000_000, outsider);
        Assert.Equal(4403, await unknown.WaitForCloseAsync());

        var nonsense = new UriBuilder(WsTestClient.Url(stack, threadId, outsider.Token)) { Path = "/ws/chat/abc/" }.Uri;
        await using var bad = await WsTestClient.ConnectAsync(nonsense);
        Assert.Equal(4403, await bad.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_malformed_after_seq_gets_an_error_and_close_4400()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var url = new UriBuilder(WsTestClient.Url(stack, threadId, client.Token)) { Query = $"token={client.Token}&after_seq=abc" }.Uri;
        await using var ws = await WsTestClient.ConnectAsync(url);

        Assert.Equal(4400, await ws.WaitForCloseAsync());
        Assert.Equal(400, Assert.Single(ws.OfType("error")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_plain_HTTP_request_gets_a_problem_400()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http();
        var response = await http.GetAsync($"ws/chat/{threadId}/?token={client.Token}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_connection_is_closed_with_4401_when_its_token_expires()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var shortLived = stack.Tokens.Mint(client.Id, client.Username, "client", lifetime: TimeSpan.FromSeconds(3),
            extra: new Dictionary<string, object> { ["company_name"] = "Test Company" });
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, shortLived));
        await AssertStillWorksAsync(ws);

        Assert.Equal(4401, await ws.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_client_that_reconnects_with_after_seq_gets_every_missed_message_exactly_once_in_order()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        long lastSeen;
        await using (var first = await WsTestClient.ConnectAsync(stack, threadId, freelancer))
        {
            for (var i = 0; i < 5; i++)
            {
                await ChatApi.SendAsync(stack, client, threadId, $"seen {i}");
            }
            var seen = await first.WaitForAsync("chat_message", 5);
            lastSeen = seen.Max(f => f.GetProperty("data").GetProperty("seq").GetInt64());
            Assert.Equal(5, lastSeen);
        }

        // 100 messages while away, then more while the reconnect and its catch-up are under way (the seam).
        await Parallel.ForAsync(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => await ChatApi.SendAsync(stack, client, threadId, $"missed {i}"));
        var during = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await ChatApi.SendAsync(stack, i % 2 == 0 ? client : freelancer, threadId, $"during {i}");
            }
        });
        await using var second = await WsTestClient.ConnectAsync(stack, threadId, freelancer, afterSeq: lastSeen);
        await during;

        var frames = await second.WaitForAsync("chat_message", 130);
        var seqs = frames.Select(f => f.GetProperty("data").GetProperty("seq").GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range(6, 130).Select(s => (long)s), seqs);
        var ids = frames.Select(f => f.GetProperty("data").GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());

        // Nothing after the last one either: a barrier message arrives next, with the next seq.
        await ChatApi.SendAsync(stack, client, threadId, "barrier");
        var all = await second.WaitForAsync("chat_message", 131);
        Assert.Equal(136, all[^1].GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal(131, all.Count);
    }

    [Fact]
    public async Task Without_after_seq_nothing_is_replayed()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await ChatApi.SendAsync(stack, client, threadId, "old");
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, freelancer);
        await ChatApi.SendAsync(stack, client, threadId, "new");

        var frame = Assert.Single(await ws.WaitForAsync("chat_message"));
        Assert.Equal(2, frame.GetProperty("data").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task An_idempotent_retry_over_the_socket_returns_the_original_to_the_sender_only()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var clientWs = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);
        var frame = new { type = "chat_message", message = "pay me", message_type = "text", metadata = new { }, client_message_id = "retry-1" };

        await clientWs.SendJsonAsync(frame);
        var original = Assert.Single(await clientWs.WaitForAsync("chat_message")).GetProperty("data");
        await clientWs.SendJsonAsync(frame);
        var again = await clientWs.WaitForAsync("chat_message", 2);
        Assert.Equal(original.GetProperty("id").GetInt64(), again[1].GetProperty("data").GetProperty("id").GetInt64());
        Assert.Equal(original.GetProperty("seq").GetInt64(), again[1].GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal("retry-1", again[1].GetProperty("data").GetProperty("client_message_id").GetString());

        // Barrier: a fresh message reaches the freelancer after whatever the retry could have broadcast.
        await clientWs.SendJsonAsync(new { type = "chat_message", message = "fresh", message_type = "text", metadata = (object?)null });
        var seenByFreelancer = await freelancerWs.WaitForAsync("chat_message", 2);
        Assert.Equal(["pay me", "fresh"], seenByFreelancer.Select(f => f.GetProperty("data").GetProperty("message").GetString()));
        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM chat_messages WHERE thread_id = @t AND client_message_id = 'retry-1'", ("t", threadId)));
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

    /// <summary>A valid send still works: the socket is open and the echo comes back.</summary>
    private static async Task AssertStillWorksAsync(WsTestClient ws)
    {
        var before = ws.OfType("chat_message").Count;
        var text = $"still works {Guid.NewGuid():N}";
        await ws.SendJsonAsync(new { type = "chat_message", message = text, message_type = "text", metadata = (object?)null });
        var echoes = await ws.WaitForAsync("chat_message", before + 1);
        Assert.Equal(text, echoes[^1].GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(WebSocketState.Open, ws.State);
    }
}
