using System.Globalization;

namespace OrleansChat.WebClient.Tests;

/// <summary>The REST calls the browser tests use to set a scene (spec §3, §7) and to check what the server stored.</summary>
internal sealed class ConversationApi(ChatStack stack)
{
    /// <summary>A user with a readable name (it shows in screenshots) and a random id, signed in once.</summary>
    public async Task<TestUser> UserAsync(string username, string role, Dictionary<string, object>? profile = null)
    {
        var id = Random.Shared.NextInt64(1, 1L << 40);
        var user = new TestUser(id, username, role, stack.Tokens.Mint(id, username, role, extra: profile));
        await ChatApi.SignInAsync(stack, user);
        return user;
    }

    public Task<TestUser> ClientAsync(string username = "alice.acme") =>
        UserAsync(username, "client", new() { ["company_name"] = "Acme Studio" });

    public Task<TestUser> FreelancerAsync(string username = "bob.dev", string title = "Web Developer") =>
        UserAsync(username, "freelancer", new() { ["title"] = title, ["rate"] = "50.00" });

    public async Task<long> ThreadAsync(TestUser client, TestUser freelancer, long? job = null)
    {
        using var http = stack.Http(client.Token);
        var created = await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Sends a text (a reply when <paramref name="replyTo"/> is a message id); answers (id, seq).</summary>
    public async Task<(long Id, long Seq)> SendAsync(TestUser user, long threadId, string text, long? replyTo = null)
    {
        using var http = stack.Http(user.Token);
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = text, reply_to = replyTo });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (message.GetProperty("id").GetInt64(), message.GetProperty("seq").GetInt64());
    }

    public async Task<JsonElement> MessageAsync(TestUser user, long messageId)
    {
        using var http = stack.Http(user.Token);
        return await http.GetFromJsonAsync<JsonElement>($"api/chat/messages/{messageId}/");
    }

    public async Task ReactAsync(TestUser user, long messageId, string emoji)
    {
        using var http = stack.Http(user.Token);
        var response = await http.PutAsync($"api/chat/messages/{messageId}/reactions/{Uri.EscapeDataString(emoji)}/", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task PinAsync(TestUser user, long threadId)
    {
        using var http = stack.Http(user.Token);
        var response = await http.PutAsJsonAsync($"api/chat/threads/{threadId}/", new { is_pinned = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<bool> IsPinnedAsync(TestUser user, long threadId)
    {
        using var http = stack.Http(user.Token);
        return (await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/")).GetProperty("is_pinned").GetBoolean();
    }

    /// <summary>Spec §8's GET …/users/{id}/presence/ as <paramref name="reader"/> sees <paramref name="subject"/>.</summary>
    public async Task<JsonElement> PresenceAsync(TestUser reader, TestUser subject)
    {
        using var http = stack.Http(reader.Token);
        return await http.GetFromJsonAsync<JsonElement>($"api/chat/users/{subject.Id}/presence/");
    }

    public static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}
