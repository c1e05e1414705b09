using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>The walking skeleton's promise: REST send → durable in PostgreSQL → a SignalR client receives it.</summary>
public sealed class SliceTests : IAsyncLifetime
{
    private readonly ChatStack _stack = new();

    public Task InitializeAsync() => _stack.InitializeAsync();

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task A_message_sent_over_REST_is_stored_and_pushed_to_the_joined_hub_client()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        var received = new EventWaiter<JsonElement>();
        await using var hub = HubConnections.Builder(_stack.FrontUri, freelancer.Token).Build();
        hub.On<JsonElement>("chat_message", received.Add);
        await hub.StartAsync();
        var missed = await hub.InvokeAsync<JsonElement>("JoinThread", threadId, (long?)null);
        Assert.Equal(0, missed.GetArrayLength());

        var sent = await ChatApi.SendAsync(_stack, client, threadId, "Hello freelancer!");

        var events = await received.WaitUntil(e => e.Count >= 1, TimeSpan.FromSeconds(20), "chat_message");
        var pushed = Assert.Single(events);
        Assert.Equal(sent.GetProperty("id").GetInt64(), pushed.GetProperty("id").GetInt64());
        Assert.Equal(1, pushed.GetProperty("seq").GetInt64());
        Assert.Equal(threadId, pushed.GetProperty("thread").GetInt64());
        Assert.Equal("Hello freelancer!", pushed.GetProperty("message").GetString());
        Assert.Equal(client.Username, pushed.GetProperty("sender").GetProperty("username").GetString());

        var stored = await _stack.Database.ScalarAsync<string>(
            "SELECT message FROM chat_messages WHERE id = @id AND thread_id = @t AND seq = 1", ("id", sent.GetProperty("id").GetInt64()), ("t", threadId));
        Assert.Equal("Hello freelancer!", stored);
    }

    [Fact]
    public async Task Messages_survive_a_restart_of_the_silo_with_the_same_ids_and_seqs()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        var sent = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(await ChatApi.SendAsync(_stack, i % 2 == 0 ? client : freelancer, threadId, $"before restart {i}"));
        }

        await _stack.StopSiloAsync();
        await _stack.StartSiloAsync();

        using var http = _stack.Http(freelancer.Token);
        var page = await RetryUntilOk(() => http.GetAsync($"api/chat/threads/{threadId}/messages/?after=0"));
        var results = page.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(sent.Select(s => (s.GetProperty("id").GetInt64(), s.GetProperty("seq").GetInt64(), s.GetProperty("message").GetString())),
            results.Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("seq").GetInt64(), r.GetProperty("message").GetString())));
    }

    /// <summary>The front reconnects to the restarted silo on its own; until then it answers 503.</summary>
    private static Task<JsonElement> RetryUntilOk(Func<Task<HttpResponseMessage>> request) =>
        Eventually.Returns(async () =>
        {
            var response = await request();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            return (JsonElement?)null;
        }, TimeSpan.FromSeconds(60), "the front to reach the restarted silo", TimeSpan.FromMilliseconds(250));
}
