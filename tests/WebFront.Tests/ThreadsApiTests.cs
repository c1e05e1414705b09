namespace OrleansChat.WebFront.Tests;

[Collection(StackCollection.Name)]
public sealed class ThreadsApiTests(ChatStack stack)
{
    [Fact]
    public async Task Creating_the_same_thread_again_answers_200_with_the_same_thread()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack, job: 11);
        using var http = stack.Http(freelancer.Token);
        var again = await http.PostAsJsonAsync("api/chat/threads", new { client = client.Id, freelancer = freelancer.Id, job = 11 });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(threadId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Creating_with_unknown_or_wrong_role_users_is_422_and_outsiders_get_403()
    {
        var client = TestUser.Create(stack, "client");
        var freelancer = TestUser.Create(stack, "freelancer");
        await ChatApi.SignInAsync(stack, freelancer);
        using var http = stack.Http(client.Token);
        // The client signs in with this very request; the freelancer is known; an unknown id is not.
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = 999_999_999_999L }), HttpStatusCode.UnprocessableEntity, "freelancer");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = client.Id }), HttpStatusCode.UnprocessableEntity, "freelancer");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync("api/chat/threads/", new { client = "one", freelancer = freelancer.Id }), HttpStatusCode.UnprocessableEntity, "client");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync("api/chat/threads/", new { freelancer = freelancer.Id }), HttpStatusCode.UnprocessableEntity, "client");
        var outsider = TestUser.Create(stack, "client");
        using var other = stack.Http(outsider.Token);
        await ProblemAssert.IsProblem(await other.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_service_account_creates_threads_for_registered_users_and_sees_them()
    {
        var service = TestUser.Create(stack, "service");
        using var http = stack.Http(service.Token);
        var clientId = Random.Shared.NextInt64(1, 1L << 40);
        var freelancerId = Random.Shared.NextInt64(1, 1L << 40);
        var registered = await http.PutAsJsonAsync($"api/chat/users/{clientId}/", new { username = "acme", role = "client", company_name = "ACME" });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("ACME", (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("company_name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"api/chat/users/{freelancerId}", new { username = "jane", role = "freelancer", title = "Dev", rate = "70" })).StatusCode);
        await ProblemAssert.IsProblem(await http.PutAsJsonAsync($"api/chat/users/{freelancerId}/", new { username = "jane", role = "admin" }), HttpStatusCode.UnprocessableEntity, "role");

        var created = await http.PostAsJsonAsync("api/chat/threads/", new { client = clientId, freelancer = freelancerId, job = (long?)null });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var thread = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("70.00", thread.GetProperty("freelancer").GetProperty("rate").GetString());
        var found = await http.GetAsync($"api/chat/threads/by-participants/?client={clientId}&freelancer={freelancerId}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);

        var plainUser = TestUser.Create(stack, "client");
        using var notService = stack.Http(plainUser.Token);
        await ProblemAssert.IsProblem(await notService.PutAsJsonAsync($"api/chat/users/{clientId}/", new { username = "x", role = "client" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task By_participants_finds_the_active_thread_or_404()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack, job: 5);
        using var http = stack.Http(client.Token);
        var found = await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/by-participants/?client={client.Id}&freelancer={freelancer.Id}&job=5");
        Assert.Equal(threadId, found.GetProperty("id").GetInt64());
        await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/threads/by-participants/?client={client.Id}&freelancer={freelancer.Id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await http.GetAsync($"api/chat/threads/by-participants/?client={client.Id}&freelancer=abc"), HttpStatusCode.BadRequest);
        var outsider = TestUser.Create(stack, "client");
        using var other = stack.Http(outsider.Token);
        await ProblemAssert.IsProblem(await other.GetAsync($"api/chat/threads/by-participants/?client={client.Id}&freelancer={freelancer.Id}&job=5"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settings_archive_and_listing()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http(client.Token);
        var muted = await http.PutAsJsonAsync($"api/chat/threads/{threadId}/", new { is_muted = true });
        Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        Assert.True((await muted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("is_muted").GetBoolean());
        await ProblemAssert.IsProblem(await http.PutAsJsonAsync($"api/chat/threads/{threadId}/", new { is_muted = "yes" }), HttpStatusCode.UnprocessableEntity, "is_muted");

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"api/chat/threads/{threadId}/")).StatusCode);
        var listed = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/");
        Assert.DoesNotContain(listed.GetProperty("results").EnumerateArray(), t => t.GetProperty("id").GetInt64() == threadId);
        var archived = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/?archived=true");
        Assert.Contains(archived.GetProperty("results").EnumerateArray(), t => t.GetProperty("id").GetInt64() == threadId);

        // Archiving is personal and never blocks sending; the freelancer still sees it in the normal list.
        await ChatApi.SendAsync(stack, client, threadId, "still here");
        using var other = stack.Http(freelancer.Token);
        var theirs = await other.GetFromJsonAsync<JsonElement>("api/chat/threads");
        Assert.Contains(theirs.GetProperty("results").EnumerateArray(), t => t.GetProperty("id").GetInt64() == threadId);

        // is_active false is thread-wide: sending is refused with 409.
        Assert.Equal(HttpStatusCode.OK, (await other.PutAsJsonAsync($"api/chat/threads/{threadId}/", new { is_active = false })).StatusCode);
        using var send = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "closed?" });
        await ProblemAssert.IsProblem(send, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Thread_list_is_newest_first_and_pages()
    {
        var client = TestUser.Create(stack, "client");
        var ids = new List<long>();
        using var http = stack.Http(client.Token);
        for (var i = 0; i < 5; i++)
        {
            var freelancer = TestUser.Create(stack, "freelancer");
            await ChatApi.SignInAsync(stack, freelancer);
            var created = await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }
        await ChatApi.SendAsync(stack, client, ids[1], "bump the second");

        var first = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/?page_size=2");
        Assert.Equal(5, first.GetProperty("count").GetInt32());
        Assert.Equal([ids[1], ids[4]], first.GetProperty("results").EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previous").ValueKind);
        var next = first.GetProperty("next").GetString()!;
        Assert.Contains("page=2", next, StringComparison.Ordinal);
        var second = await http.GetFromJsonAsync<JsonElement>(next);
        Assert.Equal([ids[3], ids[2]], second.GetProperty("results").EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));

        // page_size is clamped into 1 … 100.
        Assert.Single((await http.GetFromJsonAsync<JsonElement>("api/chat/threads/?page_size=0")).GetProperty("results").EnumerateArray());
        Assert.Equal(5, (await http.GetFromJsonAsync<JsonElement>("api/chat/threads/?page_size=1000")).GetProperty("results").GetArrayLength());
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/threads/?page_size=lots"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Outsiders_get_404_on_every_thread_scoped_endpoint()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "private");
        var messageId = message.GetProperty("id").GetInt64();
        var outsider = TestUser.Create(stack, "freelancer");
        using var http = stack.Http(outsider.Token);
        var json = new { message = "x", is_muted = true, reason = "r", amount = "1.00", status = "open", message_ids = new[] { messageId } };
        var requests = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, $"api/chat/threads/{threadId}/"),
            (HttpMethod.Put, $"api/chat/threads/{threadId}/"),
            (HttpMethod.Delete, $"api/chat/threads/{threadId}/"),
            (HttpMethod.Get, $"api/chat/threads/{threadId}/messages/"),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/messages/"),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/mark-read/"),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/create-dispute/"),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/initiate-payment/"),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/job-update/"),
            (HttpMethod.Get, $"api/chat/messages/{messageId}/"),
            (HttpMethod.Put, $"api/chat/messages/{messageId}/"),
            (HttpMethod.Delete, $"api/chat/messages/{messageId}/"),
        };
        foreach (var (method, path) in requests)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(json) };
            await ProblemAssert.IsProblem(await http.SendAsync(request), HttpStatusCode.NotFound);
        }
        // Unknown ids look exactly the same.
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/threads/987654321987/"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/messages/987654321987/"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/threads/abc/"), HttpStatusCode.NotFound);
        var unchanged = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId));
        Assert.Equal(1, unchanged);
    }
}
