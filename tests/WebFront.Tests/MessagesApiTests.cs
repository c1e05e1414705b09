namespace OrleansChat.WebFront.Tests;

[Collection(StackCollection.Name)]
public sealed class MessagesApiTests(ChatStack stack)
{
    [Fact]
    public async Task Send_retry_get_edit_delete()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http(client.Token);
        var first = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "  Hello  ", metadata = new { k = 1 }, client_message_id = "c-1" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var message = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("  Hello  ", message.GetProperty("message").GetString()); // stored as sent
        Assert.Equal(1, message.GetProperty("metadata").GetProperty("k").GetInt32());
        var retry = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "Hello again", client_message_id = "c-1" });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(message.GetProperty("id").GetInt64(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        var id = message.GetProperty("id").GetInt64();
        using var other = stack.Http(freelancer.Token);
        Assert.Equal("  Hello  ", (await other.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/")).GetProperty("message").GetString());
        await ProblemAssert.IsProblem(await other.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "mine now" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblem(await other.DeleteAsync($"api/chat/messages/{id}/"), HttpStatusCode.Forbidden);

        var edited = await (await http.PutAsJsonAsync($"api/chat/messages/{id}", new { message = "Hello, edited" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(edited.GetProperty("is_edited").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, edited.GetProperty("edited_at").ValueKind);
        Assert.Equal(1, edited.GetProperty("metadata").GetProperty("k").GetInt32()); // metadata untouched when not given

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/chat/messages/{id}/")).StatusCode);
        var tombstone = await other.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/");
        Assert.True(tombstone.GetProperty("is_deleted").GetBoolean());
        Assert.Equal("", tombstone.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, tombstone.GetProperty("metadata").ValueKind);
        Assert.Equal(1, tombstone.GetProperty("seq").GetInt64());
        await ProblemAssert.IsProblem(await http.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "revive" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_admin_may_delete_any_message()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "rude");
        var admin = TestUser.Create(stack, "admin");
        using var http = stack.Http(admin.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/chat/messages/{message.GetProperty("id").GetInt64()}/")).StatusCode);
    }

    [Fact]
    public async Task History_pages_with_cursors_and_links()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        for (var i = 1; i <= 7; i++)
        {
            await ChatApi.SendAsync(stack, i % 2 == 0 ? client : freelancer, threadId, $"m{i}");
        }
        using var http = stack.Http(client.Token);
        var newest = await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/?limit=3");
        Assert.Equal([5L, 6L, 7L], Seqs(newest));
        Assert.True(newest.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("next").ValueKind);
        var older = await http.GetFromJsonAsync<JsonElement>(newest.GetProperty("previous").GetString()!);
        Assert.Equal([2L, 3L, 4L], Seqs(older));
        var oldest = await http.GetFromJsonAsync<JsonElement>(older.GetProperty("previous").GetString()!);
        Assert.Equal([1L], Seqs(oldest));
        Assert.False(oldest.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, oldest.GetProperty("previous").ValueKind);
        var after = await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/?after=2&limit=2");
        Assert.Equal([3L, 4L], Seqs(after));
        Assert.True(after.GetProperty("has_more").GetBoolean());
        var rest = await http.GetFromJsonAsync<JsonElement>(after.GetProperty("next").GetString()!);
        Assert.Equal([5L, 6L], Seqs(rest));

        await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/threads/{threadId}/messages/?before=3&after=1"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/threads/{threadId}/messages/?before=abc"), HttpStatusCode.BadRequest);
        Assert.Single(Seqs(await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/?limit=0")));
        Assert.Equal(7, Seqs(await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/?limit=1000")).Count);
    }

    [Fact]
    public async Task Mark_read_by_ids_seq_and_all_with_unread_counts()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var sent = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await ChatApi.SendAsync(stack, client, threadId, $"m{i}")).GetProperty("id").GetInt64());
        }
        using var http = stack.Http(freelancer.Token);
        Assert.Equal(5, (await http.GetFromJsonAsync<JsonElement>("api/chat/unread-count/")).GetProperty("unread_count").GetInt32());

        var byIds = await (await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { message_ids = new[] { sent[3], 987654321L } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 4), (byIds.GetProperty("marked").GetInt32(), byIds.GetProperty("unread_count").GetInt32()));
        var bySeq = await (await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { up_to_seq = 2 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 2), (bySeq.GetProperty("marked").GetInt32(), bySeq.GetProperty("unread_count").GetInt32()));
        var unread = await http.GetFromJsonAsync<JsonElement>("api/chat/unread-count/");
        Assert.Equal(2, unread.GetProperty("unread_count").GetInt32());
        Assert.Equal(threadId, unread.GetProperty("threads")[0].GetProperty("thread").GetInt64());

        // The sender sees which of their messages were read.
        using var sender = stack.Http(client.Token);
        var mine = await sender.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/");
        Assert.Equal([true, true, false, true, false], mine.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("is_read").GetBoolean()));

        using var empty = new HttpRequestMessage(HttpMethod.Post, $"api/chat/threads/{threadId}/mark-read/");
        var all = await (await http.SendAsync(empty)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 0), (all.GetProperty("marked").GetInt32(), all.GetProperty("unread_count").GetInt32()));
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("api/chat/unread-count/")).GetProperty("unread_count").GetInt32());
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { message_ids = "all" }), HttpStatusCode.UnprocessableEntity, "message_ids");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { up_to_seq = -1 }), HttpStatusCode.UnprocessableEntity, "up_to_seq");
    }

    private static List<long> Seqs(JsonElement page) => [.. page.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())];
}
