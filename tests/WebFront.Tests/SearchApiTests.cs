namespace OrleansChat.WebFront.Tests;

/// <summary>GET /api/chat/search/ (spec §8) on the real stack: PostgreSQL full text, the caller's threads only.</summary>
[Collection(StackCollection.Name)]
public sealed class SearchApiTests(ChatStack stack)
{
    [Fact]
    public async Task Every_word_must_match_and_the_last_also_as_a_prefix()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var march = await ChatApi.SendAsync(stack, client, threadId, "The invoice for March is ready");
        var paid = await ChatApi.SendAsync(stack, freelancer, threadId, "Invoice paid, thanks!");
        await ChatApi.SendAsync(stack, client, threadId, "march madness");
        await ChatApi.SendAsync(stack, freelancer, threadId, "Design draft attached");

        Assert.Equal([Id(paid), Id(march)], await SearchIdsAsync(client, "invoice"));
        Assert.Equal([Id(paid), Id(march)], await SearchIdsAsync(freelancer, "INVOICE"));
        Assert.Equal([Id(march)], await SearchIdsAsync(client, "invoice march"));
        Assert.Equal([Id(paid), Id(march)], await SearchIdsAsync(client, "inv"));
        Assert.Equal([Id(march)], await SearchIdsAsync(client, "invoice mar"));
        Assert.Empty(await SearchIdsAsync(client, "mar invoice")); // only the last word is a prefix
        Assert.Empty(await SearchIdsAsync(client, "invoice design"));
        Assert.Equal([Id(paid)], await SearchIdsAsync(client, "paid, thanks!"));

        var page = await SearchAsync(client, "draft");
        var hit = Assert.Single(page.GetProperty("results").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        // §2's message shape, thread included.
        Assert.Equal(threadId, hit.GetProperty("thread").GetInt64());
        Assert.Equal(4, hit.GetProperty("seq").GetInt64());
        Assert.Equal(freelancer.Id, hit.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal(freelancer.Username, hit.GetProperty("sender").GetProperty("username").GetString());
        Assert.Equal("Design draft attached", hit.GetProperty("message").GetString());
        Assert.Equal("text", hit.GetProperty("message_type").GetString());
        Assert.False(hit.GetProperty("is_deleted").GetBoolean());
        Assert.False(hit.GetProperty("is_edited").GetBoolean());
        foreach (var field in new[] { "sent_at", "edited_at", "is_read", "metadata", "client_message_id" })
        {
            Assert.True(hit.TryGetProperty(field, out _), field);
        }
    }

    [Theory]
    [InlineData("Привет, как дела? Цена 500 рублей", "ПРИВЕТ", "цен")]
    [InlineData("Γειά σου κόσμε, η τιμή είναι καλή", "ΚΌΣΜΕ", "τιμ")]
    [InlineData("مرحبا بالعالم السعر مناسب", "بالعالم", "السع")]
    public async Task Scripts_that_separate_words_with_spaces_are_searchable(string text, string word, string prefix)
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, text);
        await ChatApi.SendAsync(stack, freelancer, threadId, "unrelated words only");
        Assert.Equal([Id(message)], await SearchIdsAsync(freelancer, word));
        Assert.Equal([Id(message)], await SearchIdsAsync(freelancer, prefix));
        Assert.Equal([Id(message)], await SearchIdsAsync(freelancer, word + " " + prefix));
        Assert.Empty(await SearchIdsAsync(freelancer, prefix + "щщщ"));
    }

    [Fact]
    public async Task Another_users_threads_are_never_returned()
    {
        var word = UniqueWord();
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var (otherClient, _, otherThreadId) = await ChatApi.NewThreadAsync(stack);
        var mine = await ChatApi.SendAsync(stack, client, threadId, $"budget {word}");
        var theirs = await ChatApi.SendAsync(stack, otherClient, otherThreadId, $"budget {word}");

        Assert.Equal([Id(mine)], await SearchIdsAsync(client, word));
        Assert.Equal([Id(mine)], await SearchIdsAsync(freelancer, word));
        Assert.Equal([Id(theirs)], await SearchIdsAsync(otherClient, word));
        // Narrowing to someone else's thread finds nothing (and does not tell whether that thread exists).
        Assert.Empty(await SearchIdsAsync(client, word, $"&thread={otherThreadId}"));
        Assert.Empty(await SearchIdsAsync(client, word, "&thread=999999999999"));
        Assert.Equal([Id(mine)], await SearchIdsAsync(client, word, $"&thread={threadId}"));
        var outsider = TestUser.Create(stack, "client");
        Assert.Empty(await SearchIdsAsync(outsider, word));
    }

    [Fact]
    public async Task A_participant_with_many_threads_is_searched_through_all_of_them_and_no_others()
    {
        // More threads than SearchStore.WalkMaxThreads: the query passes the caller's thread ids as an array.
        var word = UniqueWord();
        var client = TestUser.Create(stack, "client", new Dictionary<string, object> { ["company_name"] = "Agency" });
        await ChatApi.SignInAsync(stack, client);
        var threadIds = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            var freelancer = TestUser.Create(stack, "freelancer", new Dictionary<string, object> { ["title"] = "Dev", ["rate"] = "10.00" });
            await ChatApi.SignInAsync(stack, freelancer);
            using var http = stack.Http(client.Token);
            var response = await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }));
        var sent = new List<long>();
        foreach (var threadId in threadIds.Where((_, i) => i % 8 == 0))
        {
            sent.Add(Id(await ChatApi.SendAsync(stack, client, threadId, $"{word} brief")));
        }
        var (stranger, _, strangerThread) = await ChatApi.NewThreadAsync(stack);
        await ChatApi.SendAsync(stack, stranger, strangerThread, $"{word} brief");

        Assert.Equal(sent.OrderDescending(), await SearchIdsAsync(client, word));
        Assert.Equal(sent.OrderDescending().Take(2), await SearchIdsAsync(client, $"{word} bri", "&limit=2"));
        Assert.Equal([sent[^1]], await SearchIdsAsync(client, word, $"&thread={threadIds[32]}"));
        Assert.Empty(await SearchIdsAsync(client, word, $"&thread={strangerThread}"));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("service")]
    public async Task Service_and_admin_see_every_thread(string role)
    {
        var word = UniqueWord();
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var (_, freelancer, otherThreadId) = await ChatApi.NewThreadAsync(stack);
        var first = await ChatApi.SendAsync(stack, client, threadId, $"{word} one");
        var second = await ChatApi.SendAsync(stack, freelancer, otherThreadId, $"{word} two");
        var marketplace = TestUser.Create(stack, role);
        Assert.Equal([Id(second), Id(first)], await SearchIdsAsync(marketplace, word));
        Assert.Equal([Id(first)], await SearchIdsAsync(marketplace, word, $"&thread={threadId}"));
        Assert.Equal([Id(second)], await SearchIdsAsync(marketplace, $"{word} tw"));
    }

    [Fact]
    public async Task An_edit_is_found_by_its_new_words_only_and_a_deleted_message_not_at_all()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "quote: seventeen hundred");
        var doomed = await ChatApi.SendAsync(stack, freelancer, threadId, "call me tomorrow about the quote");
        Assert.Equal([Id(doomed), Id(message)], await SearchIdsAsync(client, "quote"));

        using var http = stack.Http(client.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"api/chat/messages/{Id(message)}/", new { message = "estimate: nineteen hundred" })).StatusCode);
        Assert.Empty(await SearchIdsAsync(client, "seventeen"));
        Assert.Equal([Id(message)], await SearchIdsAsync(client, "nineteen hundred"));
        var edited = Assert.Single((await SearchAsync(freelancer, "estimate")).GetProperty("results").EnumerateArray());
        Assert.True(edited.GetProperty("is_edited").GetBoolean());
        Assert.Equal("estimate: nineteen hundred", edited.GetProperty("message").GetString());

        using var freelancerHttp = stack.Http(freelancer.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await freelancerHttp.DeleteAsync($"api/chat/messages/{Id(doomed)}/")).StatusCode);
        Assert.Empty(await SearchIdsAsync(client, "quote"));
        Assert.Empty(await SearchIdsAsync(client, "tomorrow"));
        Assert.Empty(await SearchIdsAsync(TestUser.Create(stack, "admin"), "tomorrow", $"&thread={threadId}"));
    }

    [Fact]
    public async Task Pages_follow_next_by_id_and_stay_stable_while_messages_arrive()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var sent = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add(Id(await ChatApi.SendAsync(stack, i % 2 == 0 ? client : freelancer, threadId, $"milestone {i}")));
            await ChatApi.SendAsync(stack, client, threadId, $"noise {i}");
        }
        using var http = stack.Http(client.Token);
        var seen = new List<long>();
        var url = "api/chat/search/?q=milestone&limit=3";
        var pages = 0;
        while (url is not null)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(url);
            var ids = page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray();
            Assert.True(ids.Length is > 0 and <= 3);
            seen.AddRange(ids);
            if (pages++ == 0)
            {
                // A newer match arriving between pages does not shift the later pages.
                await ChatApi.SendAsync(stack, freelancer, threadId, "milestone late");
            }
            url = page.GetProperty("next").GetString();
            if (url is not null)
            {
                Assert.Contains("before=" + ids[^1], url);
                Assert.Contains("limit=3", url);
            }
        }
        Assert.Equal(3, pages);
        Assert.Equal(sent.OrderDescending(), seen);
    }

    [Fact]
    public async Task Limits_are_clamped()
    {
        var word = UniqueWord();
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await Task.WhenAll(Enumerable.Range(0, 55).Select(i => ChatApi.SendAsync(stack, i % 2 == 0 ? client : freelancer, threadId, $"{word} {i}")));
        Assert.Equal(20, (await SearchIdsAsync(client, word)).Length);
        Assert.Single(await SearchIdsAsync(client, word, "&limit=0"));
        Assert.Single(await SearchIdsAsync(client, word, "&limit=-5"));
        Assert.Equal(50, (await SearchIdsAsync(client, word, "&limit=500")).Length);
        var all = await SearchIdsAsync(client, word, "&limit=50");
        Assert.Equal(all.OrderDescending(), all);
        Assert.Equal(5, (await SearchIdsAsync(client, word, $"&limit=50&before={all[^1]}")).Length);
    }

    [Fact]
    public async Task Bad_parameters_are_refused_as_problems()
    {
        var user = TestUser.Create(stack, "client");
        using var http = stack.Http(user.Token);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/"), HttpStatusCode.UnprocessableEntity, "q");
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/?q=%20%20%09"), HttpStatusCode.UnprocessableEntity, "q");
        // 201 code points (402 UTF-16 units) is too long, 200 is fine.
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/?q=" + Uri.EscapeDataString(string.Concat(Enumerable.Repeat("😀", 201)))), HttpStatusCode.UnprocessableEntity, "q");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/chat/search/?q=" + Uri.EscapeDataString("  " + string.Concat(Enumerable.Repeat("😀", 200)) + "  "))).StatusCode);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/?q=a&before=abc"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/?q=a&thread=x"), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await http.GetAsync("api/chat/search/?q=a&limit=ten"), HttpStatusCode.BadRequest);
        using var anonymous = stack.Http();
        await ProblemAssert.IsProblem(await anonymous.GetAsync("api/chat/search/?q=a"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("?!")]
    [InlineData("' & | ! ( ) :* <-> \\ \"")]
    [InlineData("a'b\\ c:*d !e")]
    [InlineData("x\u0000y")]
    [InlineData("'); DROP TABLE chat_messages; --")]
    public async Task Query_syntax_typed_by_users_is_only_text(string query)
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "plain words here");
        using var http = stack.Http(client.Token);
        var response = await http.GetAsync("api/chat/search/?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray());
        Assert.Equal([Id(message)], await SearchIdsAsync(client, "plain"));
    }

    [Fact]
    public async Task A_message_is_searchable_as_soon_as_its_send_is_acknowledged()
    {
        var word = UniqueWord();
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        for (var i = 0; i < 5; i++)
        {
            var message = await ChatApi.SendAsync(stack, i % 2 == 0 ? client : freelancer, threadId, $"{word} number{i}");
            Assert.Equal(Id(message), (await SearchIdsAsync(client, $"{word} number{i}")).Single());
        }
    }

    private static long Id(JsonElement message) => message.GetProperty("id").GetInt64();

    /// <summary>A word no other test sends: letters only, so the parser keeps it as one lexeme.</summary>
    private static string UniqueWord() => "w" + string.Concat(Guid.NewGuid().ToString("N").Select(c => (char)('a' + (c % 26))));

    private async Task<JsonElement> SearchAsync(TestUser user, string query, string extra = "")
    {
        using var http = stack.Http(user.Token);
        var response = await http.GetAsync($"api/chat/search/?q={Uri.EscapeDataString(query)}{extra}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<long[]> SearchIdsAsync(TestUser user, string query, string extra = "") =>
        [.. (await SearchAsync(user, query, extra)).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
}
