namespace OrleansChat.WebFront.Tests;

/// <summary>Pinned threads (spec §7): per caller, pinned first by newest pin, at most 20.</summary>
[Collection(StackCollection.Name)]
public sealed class PinTests(ChatStack stack)
{
    private static async Task<JsonElement> PinAsync(HttpClient http, long threadId, bool pinned)
    {
        var response = await http.PutAsJsonAsync($"api/chat/threads/{threadId}/", new { is_pinned = pinned });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long[]> ListAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("api/chat/threads/?page_size=100")).GetProperty("results")
            .EnumerateArray().Select(t => t.GetProperty("id").GetInt64())];

    /// <summary>A client and a freelancer known to the service, with no thread yet (each test makes several).</summary>
    private async Task<(TestUser Client, TestUser Freelancer)> SignedInPairAsync()
    {
        var client = TestUser.Create(stack, "client");
        await ChatApi.SignInAsync(stack, client);
        var freelancer = TestUser.Create(stack, "freelancer");
        await ChatApi.SignInAsync(stack, freelancer);
        return (client, freelancer);
    }

    [Fact]
    public async Task Pinned_threads_come_first_newest_pin_first_and_only_in_the_pinners_list()
    {
        var (client, freelancer) = await SignedInPairAsync();
        using var mine = stack.Http(client.Token);
        using var theirs = stack.Http(freelancer.Token);
        var ids = new List<long>();
        for (var job = 1; job <= 4; job++)
        {
            var created = await (await mine.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job }))
                .Content.ReadFromJsonAsync<JsonElement>();
            ids.Add(created.GetProperty("id").GetInt64());
            await ChatApi.SendAsync(stack, client, ids[^1], $"job {job}");
        }
        var unpinnedOrder = ids.AsEnumerable().Reverse().ToArray(); // newest message first
        Assert.Equal(unpinnedOrder, await ListAsync(mine));
        var theirsBefore = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{ids[0]}/");

        Assert.True((await PinAsync(mine, ids[0], true)).GetProperty("is_pinned").GetBoolean());
        await PinAsync(mine, ids[1], true);
        await PinAsync(mine, ids[0], true); // idempotent: keeps its first pin time
        Assert.Equal(new[] { ids[1], ids[0], ids[3], ids[2] }, await ListAsync(mine));
        Assert.Equal(unpinnedOrder, await ListAsync(theirs)); // pins reorder only the pinner's list
        var theirsAfter = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{ids[0]}/");
        Assert.False(theirsAfter.GetProperty("is_pinned").GetBoolean());
        Assert.True((await mine.GetFromJsonAsync<JsonElement>($"api/chat/threads/{ids[0]}/")).GetProperty("is_pinned").GetBoolean());
        // Pins change no unread count, last message or last message time.
        foreach (var field in new[] { "unread_count", "last_message", "last_message_at" })
        {
            Assert.Equal(theirsBefore.GetProperty(field).GetRawText(), theirsAfter.GetProperty(field).GetRawText());
        }

        Assert.False((await PinAsync(mine, ids[1], false)).GetProperty("is_pinned").GetBoolean());
        Assert.Equal(new[] { ids[0], ids[3], ids[2], ids[1] }, await ListAsync(mine));
        using var outsider = stack.Http(TestUser.Create(stack, "client").Token);
        await ProblemAssert.IsProblem(await outsider.PutAsJsonAsync($"api/chat/threads/{ids[0]}/", new { is_pinned = true }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await mine.PutAsJsonAsync($"api/chat/threads/{ids[0]}/", new { is_pinned = "yes" }), HttpStatusCode.UnprocessableEntity, "is_pinned");
    }

    [Fact]
    public async Task A_21st_pin_is_refused()
    {
        var (client, freelancer) = await SignedInPairAsync();
        var service = TestUser.Create(stack, "service");
        using var create = stack.Http(service.Token);
        using var mine = stack.Http(client.Token);
        for (var job = 1; job <= 21; job++)
        {
            var created = await (await create.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job }))
                .Content.ReadFromJsonAsync<JsonElement>();
            var response = await mine.PutAsJsonAsync($"api/chat/threads/{created.GetProperty("id").GetInt64()}/", new { is_pinned = true });
            if (job <= 20)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else
            {
                await ProblemAssert.IsProblem(response, HttpStatusCode.UnprocessableEntity, "is_pinned");
            }
        }
        var list = (await mine.GetFromJsonAsync<JsonElement>("api/chat/threads/?page_size=100")).GetProperty("results");
        Assert.Equal(20, list.EnumerateArray().Count(t => t.GetProperty("is_pinned").GetBoolean()));
    }
}
