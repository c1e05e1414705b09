using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// Per-user token buckets (a stack of its own with small limits): sends, thread creation, mark-read and hub
/// invocations get 429 beyond their burst on REST, the hub and the WebSocket; excess typing is dropped silently. The
/// buckets read a clock the test moves by hand, so nothing here depends on how fast the machine runs.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly ChatStack _stack;

    public RateLimitTests() =>
        _stack = new ChatStack { ConfigureFrontServices = services => services.AddKeyedSingleton<TimeProvider>(RateLimitOptions.ClockKey, _clock) };

    public Task InitializeAsync()
    {
        _stack.FrontSettings["Chat:RateLimit:SendsPerSecond"] = "2";
        _stack.FrontSettings["Chat:RateLimit:Burst"] = "5";
        _stack.FrontSettings["Chat:RateLimit:ThreadCreatesPerSecond"] = "1";
        _stack.FrontSettings["Chat:RateLimit:ThreadCreateBurst"] = "2";
        _stack.FrontSettings["Chat:RateLimit:MarkReadsPerSecond"] = "1";
        _stack.FrontSettings["Chat:RateLimit:MarkReadBurst"] = "3";
        _stack.FrontSettings["Chat:RateLimit:HubInvocationsPerSecond"] = "1";
        _stack.FrontSettings["Chat:RateLimit:HubInvocationBurst"] = "4";
        _stack.FrontSettings["Chat:RateLimit:TypingPerSecond"] = "1";
        _stack.FrontSettings["Chat:RateLimit:TypingBurst"] = "2";
        return _stack.InitializeAsync();
    }

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Beyond_the_burst_sends_get_429_with_Retry_After_and_nothing_is_stored_until_the_bucket_refills()
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
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        await ProblemAssert.IsProblem(limited!, HttpStatusCode.TooManyRequests);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(5, await _stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId)));

        // Another user has their own bucket.
        Assert.Equal(HttpStatusCode.Created, (await _stack.Http(freelancer.Token).PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "mine" })).StatusCode);

        // One second buys two more sends, not three.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            after.Add((await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = $"later {i}" })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], after);
    }

    [Fact]
    public async Task Thread_creation_and_mark_read_over_REST_get_429_beyond_their_burst()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack); // the client's first thread creation
        using var http = _stack.Http(client.Token);
        var creates = new List<HttpStatusCode>();
        for (var job = 1; job <= 3; job++)
        {
            creates.Add((await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], creates);
        var refused = await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job = 9 });
        await ProblemAssert.IsProblem(refused, HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("api/chat/threads/", new { client = client.Id, freelancer = freelancer.Id, job = 4 })).StatusCode);

        var marks = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            marks.Add((await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { up_to_seq = 0 })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], marks);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { up_to_seq = 0 })).StatusCode);
    }

    [Fact]
    public async Task Hub_invocations_get_429_beyond_their_burst_and_excess_typing_is_dropped_without_an_error()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var hub = await HubClient.ConnectAsync(_stack.FrontUri, client.Token);
        for (var i = 0; i < 4; i++)
        {
            await hub.JoinAsync(threadId);
        }
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.JoinAsync(threadId));
        Assert.StartsWith("429: ", refused.Message);
        // Typing has its own bucket: the excess is dropped, never refused, and does not use up the hub bucket.
        for (var i = 0; i < 10; i++)
        {
            await hub.Connection.InvokeAsync("Typing", threadId, i % 2 == 0);
        }
        Assert.Equal(HubConnectionState.Connected, hub.Connection.State);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await hub.JoinAsync(threadId)).GetArrayLength());
        Assert.StartsWith("429: ", (await Assert.ThrowsAsync<HubException>(() => hub.SendAsync(threadId, new { message = "over the hub limit" }))).Message);
    }

    [Fact]
    public async Task WebSocket_sends_and_mark_read_get_429_error_frames_and_excess_typing_frames_are_dropped_silently()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var socket = await WsTestClient.ConnectAsync(_stack, threadId, client);
        await using var other = await WsTestClient.ConnectAsync(_stack, threadId, freelancer);
        for (var i = 0; i < 10; i++)
        {
            await socket.SendJsonAsync(new { type = "typing_indicator", is_typing = i % 2 == 0 });
        }
        for (var i = 0; i < 4; i++)
        {
            await socket.SendJsonAsync(new { type = "mark_messages_read", message_ids = Array.Empty<long>() });
        }
        for (var i = 0; i < 6; i++)
        {
            await socket.SendJsonAsync(new { type = "chat_message", message = $"ws {i}", client_message_id = $"ws-{i}" });
        }
        // Frames are handled in order: once the probe's error is back, every frame before it has been answered.
        await socket.SendJsonAsync(new { type = "probe", client_message_id = "probe" });
        var errors = await socket.WaitForAsync("error", 3);
        Assert.Equal([429, 429, 422], errors.Select(e => e.GetProperty("code").GetInt32()));
        Assert.Equal("ws-5", errors[1].GetProperty("client_message_id").GetString());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        await other.WaitForAsync("chat_message", 5);
        await other.WaitForAsync("typing_indicator");
        Assert.InRange(other.OfType("typing_indicator").Count, 1, 2);
        Assert.Equal(5, await _stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId)));
    }

    [Fact]
    public async Task Mark_delivered_and_reactions_have_buckets_of_their_own()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        var id = (await ChatApi.SendAsync(_stack, client, threadId, "react")).GetProperty("id").GetInt64();
        using var http = _stack.Http(freelancer.Token);
        var path = $"api/chat/threads/{threadId}/mark-delivered/";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(path, new { up_to_seq = 1 })).StatusCode);
        }
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { up_to_seq = 1 }), HttpStatusCode.TooManyRequests);
        // Mark-read's bucket is another one: it is still full.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"api/chat/threads/{threadId}/mark-read/", null)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"api/chat/messages/{id}/reactions/r{i}/", null)).StatusCode);
        }
        await ProblemAssert.IsProblem(await http.PutAsync($"api/chat/messages/{id}/reactions/r9/", null), HttpStatusCode.TooManyRequests);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(path, new { up_to_seq = 1 })).StatusCode);
    }
}
