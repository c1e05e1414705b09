using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// The seed's WebSocket protocol (spec §4) against the real stack: real ClientWebSockets on a real front, a real
/// silo and PostgreSQL. Negative assertions ("the typist does not get its own indicator") use an ordering barrier
/// (a later event through the same thread) instead of waiting for nothing.
/// </summary>
public sealed partial class WebSocketTests(ChatStack stack) : IClassFixture<ChatStack>
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
