namespace OrleansChat.WebFront.Tests;

/// <summary>Sends are limited per user by a token bucket shared by REST and the hub (a stack of its own with limits on).</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly ChatStack _stack = new();

    public Task InitializeAsync()
    {
        _stack.FrontSettings["Chat:RateLimit:SendsPerSecond"] = "2";
        _stack.FrontSettings["Chat:RateLimit:Burst"] = "5";
        return _stack.InitializeAsync();
    }

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Beyond_the_burst_sends_get_429_with_Retry_After_and_nothing_is_stored()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        using var http = _stack.Http(client.Token);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = $"m{i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) >= 5, string.Join(",", statuses));
        Assert.NotNull(limited);
        await ProblemAssert.IsProblem(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var stored = await _stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId));
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Created), stored);

        // Another user has their own bucket.
        Assert.Equal(HttpStatusCode.Created, (await _stack.Http(freelancer.Token).PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "mine" })).StatusCode);
    }
}
