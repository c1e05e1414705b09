namespace OrleansChat.TestStack;

/// <summary>A user of the tests with their token; ids are random so tests sharing a stack never collide.</summary>
public sealed record TestUser(long Id, string Username, string Role, string Token)
{
    public static TestUser Create(ChatStack stack, string role, IDictionary<string, object>? profile = null)
    {
        var id = Random.Shared.NextInt64(1, 1L << 40);
        var username = $"{role}{id}";
        return new TestUser(id, username, role, stack.Tokens.Mint(id, username, role, extra: profile));
    }
}

public static class ChatApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client and a freelancer who have each signed in once, and the thread between them.</summary>
    public static async Task<(TestUser Client, TestUser Freelancer, long ThreadId)> NewThreadAsync(ChatStack stack, long? job = null)
    {
        var client = TestUser.Create(stack, "client", new Dictionary<string, object> { ["company_name"] = "Test Company" });
        var freelancer = TestUser.Create(stack, "freelancer", new Dictionary<string, object> { ["title"] = "Web Developer", ["rate"] = "50.00" });
        await SignInAsync(stack, freelancer);
        using var http = stack.Http(client.Token);
        var response = await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var thread = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (client, freelancer, thread.GetProperty("id").GetInt64());
    }

    /// <summary>Any authenticated request records the caller's profile.</summary>
    public static async Task SignInAsync(ChatStack stack, TestUser user)
    {
        using var http = stack.Http(user.Token);
        var me = await http.GetAsync("api/chat/users/me/");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    public static async Task<JsonElement> SendAsync(ChatStack stack, TestUser user, long threadId, string text, string? clientMessageId = null)
    {
        using var http = stack.Http(user.Token);
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = text, client_message_id = clientMessageId });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"send answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
