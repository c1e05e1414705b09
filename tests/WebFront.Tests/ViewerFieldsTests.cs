using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>Live events carry the per-viewer fields (spec §7: me, is_read, is_delivered) of each connection's user.</summary>
[Collection(StackCollection.Name)]
public sealed class ViewerFieldsTests(ChatStack stack)
{
    [Fact]
    public async Task Chat_message_and_message_edited_are_rendered_for_each_connection()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var senderWs = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var otherWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);
        await using var senderHub = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        await senderHub.JoinAsync(threadId);
        await using var otherHub = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token);
        await otherHub.JoinAsync(threadId);

        var id = (await ChatApi.SendAsync(stack, client, threadId, "per viewer")).GetProperty("id").GetInt64();
        Assert.False((await senderWs.WaitForAsync("chat_message")).Single().GetProperty("data").GetProperty("is_delivered").GetBoolean());
        Assert.True((await otherWs.WaitForAsync("chat_message")).Single().GetProperty("data").GetProperty("is_delivered").GetBoolean());
        Assert.False((await senderHub.WaitFor("chat_message", e => e.Count >= 1, "sender's hub copy")).Single().GetProperty("is_delivered").GetBoolean());
        Assert.True((await otherHub.WaitFor("chat_message", e => e.Count >= 1, "other's hub copy")).Single().GetProperty("is_delivered").GetBoolean());

        await otherHub.Connection.InvokeAsync<JsonElement>("React", id, "👍", true);
        using var theirs = stack.Http(freelancer.Token);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostAsync($"api/chat/threads/{threadId}/mark-read/", null)).StatusCode);
        using var mine = stack.Http(client.Token);
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "edited" })).StatusCode);

        var senderEdit = (await senderWs.WaitForAsync("message_edited")).Single().GetProperty("data");
        var otherEdit = (await otherWs.WaitForAsync("message_edited")).Single().GetProperty("data");
        Assert.False(senderEdit.GetProperty("reactions")[0].GetProperty("me").GetBoolean());
        Assert.True(otherEdit.GetProperty("reactions")[0].GetProperty("me").GetBoolean());
        Assert.True(senderEdit.GetProperty("is_read").GetBoolean());
        Assert.True(senderEdit.GetProperty("is_delivered").GetBoolean()); // read implies delivered
        var hubEdit = (await otherHub.WaitFor("message_edited", e => e.Count >= 1, "other's hub edit")).Single();
        Assert.True(hubEdit.GetProperty("reactions")[0].GetProperty("me").GetBoolean());
        Assert.False((await senderHub.WaitFor("message_edited", e => e.Count >= 1, "sender's hub edit")).Single().GetProperty("reactions")[0].GetProperty("me").GetBoolean());
    }
}
