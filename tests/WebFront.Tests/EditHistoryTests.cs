namespace OrleansChat.WebFront.Tests;

/// <summary>Edit history (spec §7): every edit keeps what it replaced; who may read it before and after deletion.</summary>
[Collection(StackCollection.Name)]
public sealed class EditHistoryTests(ChatStack stack)
{
    [Fact]
    public async Task History_lists_every_version_oldest_first_with_the_current_last()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var mine = stack.Http(client.Token);
        var sent = await (await mine.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "v1", metadata = new { n = 1 } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = sent.GetProperty("id").GetInt64();
        using var theirs = stack.Http(freelancer.Token);
        var single = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/history/");
        var only = single.GetProperty("results").EnumerateArray().Single();
        Assert.Equal(1, only.GetProperty("version").GetInt32());
        Assert.Equal("v1", only.GetProperty("message").GetString());
        Assert.Equal(sent.GetProperty("sent_at").GetDateTime(), only.GetProperty("at").GetDateTime());

        var v2 = await (await mine.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "v2", metadata = new { n = 2 } })).Content.ReadFromJsonAsync<JsonElement>();
        var v3 = await (await mine.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "v3" })).Content.ReadFromJsonAsync<JsonElement>();
        var history = (await theirs.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/history/")).GetProperty("results");
        Assert.Equal([1, 2, 3], history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(["v1", "v2", "v3"], history.EnumerateArray().Select(v => v.GetProperty("message").GetString()!));
        Assert.Equal([1, 2, 2], history.EnumerateArray().Select(v => v.GetProperty("metadata").GetProperty("n").GetInt32()));
        Assert.Equal(v2.GetProperty("edited_at").GetDateTime(), history[1].GetProperty("at").GetDateTime());
        Assert.Equal(v3.GetProperty("edited_at").GetDateTime(), history[2].GetProperty("at").GetDateTime());

        // History reads change no unread count and no last message.
        var thread = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        Assert.Equal(1, thread.GetProperty("unread_count").GetInt32());
        Assert.Equal("v3", thread.GetProperty("last_message").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Participants_until_deletion_admin_and_service_after_it_outsiders_never()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var id = (await ChatApi.SendAsync(stack, client, threadId, "evidence")).GetProperty("id").GetInt64();
        using var mine = stack.Http(client.Token);
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "evidence, edited" })).StatusCode);
        var path = $"api/chat/messages/{id}/history/";
        var outsider = TestUser.Create(stack, "freelancer");
        using var outsiderHttp = stack.Http(outsider.Token);
        await ProblemAssert.IsProblem(await outsiderHttp.GetAsync(path), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await mine.GetAsync("api/chat/messages/9000000000000/history/"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await mine.DeleteAsync($"api/chat/messages/{id}/")).StatusCode);
        using var theirs = stack.Http(freelancer.Token);
        await ProblemAssert.IsProblem(await mine.GetAsync(path), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await theirs.GetAsync(path), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await outsiderHttp.GetAsync(path), HttpStatusCode.NotFound);
        foreach (var role in new[] { "admin", "service" })
        {
            using var privileged = stack.Http(TestUser.Create(stack, role).Token);
            var kept = (await privileged.GetFromJsonAsync<JsonElement>(path)).GetProperty("results");
            // Deletion adds no version: the history ends with the last text.
            Assert.Equal(["evidence", "evidence, edited"], kept.EnumerateArray().Select(v => v.GetProperty("message").GetString()!));
            Assert.Equal([1, 2], kept.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        }
    }
}
