using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Grains.Storage;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// Spec §6: a commit whose outcome was at first unknown (the answer lost after COMMIT) still reaches every open
/// connection, in order, without a retry — and a retry with the same client_message_id gets the original.
/// </summary>
public sealed class LostCommitAnswerTests : IAsyncLifetime
{
    private readonly CommitFaults _faults = new();
    private readonly ChatStack _stack;

    public LostCommitAnswerTests() => _stack = new ChatStack { ConfigureSiloServices = services => services.AddSingleton(_faults) };

    public Task InitializeAsync() => _stack.InitializeAsync();

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task A_message_whose_commit_answer_was_lost_is_pushed_to_open_sockets_and_hub_connections()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var socket = await WsTestClient.ConnectAsync(_stack, threadId, freelancer);
        await using var hub = await HubClient.ConnectAsync(_stack.FrontUri, freelancer.Token);
        await hub.JoinAsync(threadId);
        await ChatApi.SendAsync(_stack, client, threadId, "first");

        _faults.LoseNextAnswer(threadId);
        using var http = _stack.Http(client.Token);
        var lost = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "did it commit?", client_message_id = "lost-1" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);

        // Nobody retries: the grain finds the committed message and it is pushed like any other.
        var frames = await socket.WaitForAsync("chat_message", 2);
        Assert.Equal([1L, 2L], SeqOrder.Seqs(frames.Select(f => f.GetProperty("data"))));
        Assert.Equal("did it commit?", frames[1].GetProperty("data").GetProperty("message").GetString());
        var events = await hub.WaitFor("chat_message", e => e.Count == 2, "the recovered message on the hub");
        Assert.Equal([1L, 2L], SeqOrder.Seqs(events));

        var retry = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "did it commit?", client_message_id = "lost-1" });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64());
    }
}
