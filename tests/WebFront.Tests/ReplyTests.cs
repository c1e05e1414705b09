namespace OrleansChat.WebFront.Tests;

/// <summary>Replies (spec §7): the quote on every shape, kept current, 422 outside the thread, retries first.</summary>
[Collection(StackCollection.Name)]
public sealed class ReplyTests(ChatStack stack)
{
    [Fact]
    public async Task A_rest_reply_quotes_its_parent_and_follows_its_edit_and_delete()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var longText = string.Concat(Enumerable.Repeat("😀", 150)) + string.Concat(Enumerable.Repeat("x", 100));
        var parent = await ChatApi.SendAsync(stack, client, threadId, longText);
        var parentId = parent.GetProperty("id").GetInt64();
        Assert.Equal(JsonValueKind.Null, parent.GetProperty("reply_to").ValueKind);

        using var http = stack.Http(freelancer.Token);
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "answer", reply_to = parentId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        var quote = reply.GetProperty("reply_to");
        Assert.Equal(parentId, quote.GetProperty("id").GetInt64());
        Assert.Equal(1, quote.GetProperty("seq").GetInt64());
        Assert.Equal(client.Id, quote.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal(client.Username, quote.GetProperty("sender").GetProperty("username").GetString());
        var quoted = quote.GetProperty("message").GetString()!;
        Assert.Equal(200, quoted.EnumerateRunes().Count()); // cut at 200 code points, not UTF-16 units
        Assert.StartsWith(quoted, longText, StringComparison.Ordinal);
        Assert.False(quote.GetProperty("is_deleted").GetBoolean());

        var replyId = reply.GetProperty("id").GetInt64();
        using var owner = stack.Http(client.Token);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"api/chat/messages/{parentId}/", new { message = "short now" })).StatusCode);
        var afterEdit = await owner.GetFromJsonAsync<JsonElement>($"api/chat/messages/{replyId}/");
        Assert.Equal("short now", afterEdit.GetProperty("reply_to").GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"api/chat/messages/{parentId}/")).StatusCode);
        var page = await owner.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/");
        var afterDelete = page.GetProperty("results").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == replyId).GetProperty("reply_to");
        Assert.Equal("", afterDelete.GetProperty("message").GetString());
        Assert.True(afterDelete.GetProperty("is_deleted").GetBoolean());

        // A reply to a deleted message is allowed.
        var toDeleted = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "still", reply_to = parentId });
        Assert.Equal(HttpStatusCode.Created, toDeleted.StatusCode);
    }

    [Fact]
    public async Task A_reply_to_a_message_of_another_thread_or_unknown_is_422_but_a_retry_comes_first()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var (otherClient, _, otherThread) = await ChatApi.NewThreadAsync(stack);
        var foreign = await ChatApi.SendAsync(stack, otherClient, otherThread, "elsewhere");
        using var http = stack.Http(client.Token);
        var path = $"api/chat/threads/{threadId}/messages/";
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", reply_to = foreign.GetProperty("id").GetInt64() }), HttpStatusCode.UnprocessableEntity, "reply_to");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", reply_to = 9_000_000_000_000 }), HttpStatusCode.UnprocessableEntity, "reply_to");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", reply_to = "1" }), HttpStatusCode.UnprocessableEntity, "reply_to");

        var original = await ChatApi.SendAsync(stack, client, threadId, "first", "r-1");
        var retry = await http.PostAsJsonAsync(path, new { message = "first", client_message_id = "r-1", reply_to = foreign.GetProperty("id").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(original.GetProperty("id").GetInt64(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Hub_and_websocket_sends_carry_reply_to_live()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var parent = await ChatApi.SendAsync(stack, client, threadId, "question");
        var parentId = parent.GetProperty("id").GetInt64();
        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        await hub.JoinAsync(threadId);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, freelancer);

        var viaHub = await hub.SendAsync(threadId, new { message = "hub answer", reply_to = parentId });
        Assert.Equal(parentId, viaHub.GetProperty("reply_to").GetProperty("id").GetInt64());
        await ws.SendJsonAsync(new { type = "chat_message", message = "ws answer", reply_to = parentId });
        var frames = await ws.WaitForAsync("chat_message", 2);
        Assert.All(frames, f => Assert.Equal("question", f.GetProperty("data").GetProperty("reply_to").GetProperty("message").GetString()));
        var live = await hub.WaitFor("chat_message", e => e.Count >= 2, "both replies on the hub");
        Assert.All(live, m => Assert.Equal(parentId, m.GetProperty("reply_to").GetProperty("id").GetInt64()));

        await ws.SendJsonAsync(new { type = "chat_message", message = "bad", reply_to = 9_000_000_000_000, client_message_id = "bad-1" });
        var error = (await ws.WaitForAsync("error")).Single();
        Assert.Equal(422, error.GetProperty("code").GetInt32());
        Assert.Equal("bad-1", error.GetProperty("client_message_id").GetString());
        var hubError = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.SendAsync(threadId, new { message = "bad", reply_to = 9_000_000_000_000 }));
        Assert.StartsWith("422:", hubError.Message, StringComparison.Ordinal);
    }
}
