namespace OrleansChat.WebFront.Tests;

/// <summary>The seed's response examples (thread list, send message), field by field: clients written for it work unchanged.</summary>
[Collection(StackCollection.Name)]
public sealed class ShapeTests(ChatStack stack)
{
    [Fact]
    public async Task Thread_list_has_the_seed_shape()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack, job: 1);
        await ChatApi.SendAsync(stack, freelancer, threadId, "Hi");
        var last = await ChatApi.SendAsync(stack, freelancer, threadId, "Latest message");
        using var http = stack.Http(client.Token);
        var list = await http.GetFromJsonAsync<JsonElement>("api/chat/threads/");

        Assert.Equal(1, list.GetProperty("count").GetInt32());
        var thread = Assert.Single(list.GetProperty("results").EnumerateArray());
        Assert.Equal(threadId, thread.GetProperty("id").GetInt64());
        var c = thread.GetProperty("client");
        Assert.Equal(client.Id, c.GetProperty("id").GetInt64());
        Assert.Equal(client.Id, c.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal(client.Username, c.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("Test Company", c.GetProperty("company_name").GetString());
        var f = thread.GetProperty("freelancer");
        Assert.Equal(freelancer.Id, f.GetProperty("id").GetInt64());
        Assert.Equal(freelancer.Username, f.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("Web Developer", f.GetProperty("title").GetString());
        Assert.Equal("50.00", f.GetProperty("rate").GetString());
        Assert.Equal(1, thread.GetProperty("job").GetInt64());
        AssertUtc(thread.GetProperty("created_at"));
        AssertUtc(thread.GetProperty("last_message_at"));
        Assert.True(thread.GetProperty("is_active").GetBoolean());
        var lastMessage = thread.GetProperty("last_message");
        Assert.Equal(last.GetProperty("id").GetInt64(), lastMessage.GetProperty("id").GetInt64());
        Assert.Equal("Latest message", lastMessage.GetProperty("message").GetString());
        Assert.Equal(last.GetProperty("sent_at").GetString(), lastMessage.GetProperty("sent_at").GetString());
        Assert.Equal(thread.GetProperty("last_message_at").GetString(), lastMessage.GetProperty("sent_at").GetString());
        Assert.Equal(2, thread.GetProperty("unread_count").GetInt32());
        Assert.Equal(2, thread.GetProperty("last_seq").GetInt64());
        Assert.False(thread.GetProperty("is_muted").GetBoolean());
        Assert.False(thread.GetProperty("is_archived").GetBoolean());
    }

    [Fact]
    public async Task Sent_message_has_the_seed_shape()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "Hello freelancer!");
        Assert.True(message.GetProperty("id").GetInt64() > 0);
        Assert.Equal(threadId, message.GetProperty("thread").GetInt64());
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal(client.Id, message.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal(client.Username, message.GetProperty("sender").GetProperty("username").GetString());
        Assert.Equal("Hello freelancer!", message.GetProperty("message").GetString());
        Assert.Equal("text", message.GetProperty("message_type").GetString());
        AssertUtc(message.GetProperty("sent_at"));
        Assert.False(message.GetProperty("is_read").GetBoolean());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, message.GetProperty("edited_at").ValueKind);
        Assert.False(message.GetProperty("is_edited").GetBoolean());
        Assert.False(message.GetProperty("is_deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("client_message_id").ValueKind);
    }

    private static void AssertUtc(JsonElement value)
    {
        var text = value.GetString()!;
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.True(DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out _), text);
    }
}
