using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>Two WebFronts on one cluster, and a silo that goes away under connected clients.</summary>
public sealed class ClusterDeliveryTests : IAsyncLifetime
{
    private readonly ChatStack _stack = new() { InitialFronts = 2 };

    public Task InitializeAsync() => _stack.InitializeAsync();

    public Task DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Participants_on_different_fronts_chat_with_each_other()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var onA = await HubClient.ConnectAsync(_stack.FrontUris[0], client.Token);
        await using var onB = await HubClient.ConnectAsync(_stack.FrontUris[1], freelancer.Token);
        await onA.JoinAsync(threadId);
        await onB.JoinAsync(threadId);

        var fromA = await onA.SendAsync(threadId, new { message = "from front A" });
        var atB = await onB.WaitFor("chat_message", e => e.Count == 1, "front B receives A's message");
        Assert.Equal(fromA.GetProperty("id").GetInt64(), atB[0].GetProperty("id").GetInt64());

        var fromB = await onB.SendAsync(threadId, new { message = "from front B" });
        var atA = await onA.WaitFor("chat_message", e => e.Count == 2, "front A receives B's message");
        Assert.Equal(fromB.GetProperty("id").GetInt64(), atA[1].GetProperty("id").GetInt64());

        await onB.Connection.InvokeAsync("Typing", threadId, true);
        await onA.WaitFor("typing_indicator", e => e.Count == 1, "typing crosses fronts");
    }

    [Fact]
    public async Task After_the_silo_restarts_connected_clients_receive_new_messages_again()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(_stack);
        await using var listener = await HubClient.ConnectAsync(_stack.FrontUris[1], freelancer.Token);
        await listener.JoinAsync(threadId);
        await ChatApi.SendAsync(_stack, client, threadId, "before");
        await listener.WaitFor("chat_message", e => e.Count == 1, "the first message");

        // The grain and its observer list die with the silo; the front must re-attach on its own.
        await _stack.StopSiloAsync();
        await _stack.StartSiloAsync();
        var started = DateTime.UtcNow;
        using var http = _stack.Http(client.Token);
        var seq = 1L;
        while (true)
        {
            var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = $"after {seq}", client_message_id = $"after-{seq}" });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                seq++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
            if (listener.Received("chat_message").Any(m => m.GetProperty("seq").GetInt64() > 1))
            {
                break;
            }
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "no live message reached the connected client within 30 s of the restart");
            await Task.Delay(200);
        }
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, listener.Connection.State);
    }
}
