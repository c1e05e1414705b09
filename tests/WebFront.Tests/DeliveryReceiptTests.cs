using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>Delivery receipts (spec §7): the cursor, is_delivered, messages_delivered, over every transport.</summary>
[Collection(StackCollection.Name)]
public sealed class DeliveryReceiptTests(ChatStack stack)
{
    private static async Task<long> MarkDeliveredAsync(HttpClient http, long threadId, object body)
    {
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-delivered/", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delivered_up_to_seq").GetInt64();
    }

    private static async Task<bool[]> DeliveredFlagsAsync(HttpClient http, long threadId) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/")).GetProperty("results")
            .EnumerateArray().Select(m => m.GetProperty("is_delivered").GetBoolean())];

    [Fact]
    public async Task Rest_moves_the_cursor_forward_only_up_to_the_last_seq_and_is_delivered_follows()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        for (var i = 1; i <= 3; i++)
        {
            await ChatApi.SendAsync(stack, client, threadId, $"m{i}");
        }
        using var mine = stack.Http(client.Token);
        using var theirs = stack.Http(freelancer.Token);
        Assert.Equal(new[] { false, false, false }, await DeliveredFlagsAsync(mine, threadId));
        Assert.Equal(new[] { true, true, true }, await DeliveredFlagsAsync(theirs, threadId)); // others' messages: true

        Assert.Equal(2, await MarkDeliveredAsync(theirs, threadId, new { up_to_seq = 2 }));
        Assert.Equal(2, await MarkDeliveredAsync(theirs, threadId, new { up_to_seq = 1 })); // never backwards
        Assert.Equal(new[] { true, true, false }, await DeliveredFlagsAsync(mine, threadId));
        Assert.Equal(3, await MarkDeliveredAsync(theirs, threadId, new { up_to_seq = 99 })); // min(S, last seq)
        Assert.Equal(0, await MarkDeliveredAsync(mine, threadId, new { up_to_seq = 0 }));

        await ProblemAssert.IsProblem(await theirs.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-delivered/", new { }), HttpStatusCode.UnprocessableEntity, "up_to_seq");
        await ProblemAssert.IsProblem(await theirs.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-delivered/", new { up_to_seq = -1 }), HttpStatusCode.UnprocessableEntity, "up_to_seq");
        await ProblemAssert.IsProblem(await theirs.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-delivered/", new { up_to_seq = "3" }), HttpStatusCode.UnprocessableEntity, "up_to_seq");
        using var outsider = stack.Http(TestUser.Create(stack, "client").Token);
        await ProblemAssert.IsProblem(await outsider.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-delivered/", new { up_to_seq = 1 }), HttpStatusCode.NotFound);

        // Receipts change no unread count, last message or last message time.
        var thread = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        Assert.Equal(3, thread.GetProperty("unread_count").GetInt32());
        Assert.Equal("m3", thread.GetProperty("last_message").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Reading_implies_delivery_and_says_so_to_the_sender()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        await hub.JoinAsync(threadId);
        await ChatApi.SendAsync(stack, client, threadId, "one");
        var two = await ChatApi.SendAsync(stack, client, threadId, "two");
        using var theirs = stack.Http(freelancer.Token);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { up_to_seq = 1 })).StatusCode);
        var delivered = (await hub.WaitFor("messages_delivered", e => e.Count >= 1, "delivery implied by the read")).Single();
        Assert.Equal(threadId, delivered.GetProperty("thread").GetInt64());
        Assert.Equal(freelancer.Id, delivered.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal(freelancer.Username, delivered.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(1, delivered.GetProperty("up_to_seq").GetInt64());
        var names = hub.Events.Items.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("messages_read") < names.IndexOf("messages_delivered"));

        // A message read one by one is delivered too (is_read implies is_delivered), without moving the cursor.
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostAsJsonAsync($"api/chat/threads/{threadId}/mark-read/", new { message_ids = new[] { two.GetProperty("id").GetInt64() } })).StatusCode);
        using var mine = stack.Http(client.Token);
        Assert.Equal(new[] { true, true }, await DeliveredFlagsAsync(mine, threadId));
        // The delivered cursor never trails the read cursor.
        Assert.Equal(1, await MarkDeliveredAsync(theirs, threadId, new { up_to_seq = 0 }));
    }

    [Fact]
    public async Task Hub_and_websocket_mark_delivered_and_the_sender_hears_it()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, client);
        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token);
        await hub.JoinAsync(threadId);
        await ChatApi.SendAsync(stack, client, threadId, "a");
        await ChatApi.SendAsync(stack, client, threadId, "b");

        var viaHub = await hub.Connection.InvokeAsync<JsonElement>("MarkDelivered", threadId, 1L);
        Assert.Equal(1, viaHub.GetProperty("delivered_up_to_seq").GetInt64());
        var first = (await ws.WaitForAsync("messages_delivered")).Single().GetProperty("data");
        Assert.Equal(1, first.GetProperty("up_to_seq").GetInt64());
        Assert.Equal(freelancer.Id, first.GetProperty("user").GetProperty("id").GetInt64());

        await using var freelancerWs = await WsTestClient.ConnectAsync(stack, threadId, freelancer);
        await freelancerWs.SendJsonAsync(new { type = "mark_delivered", up_to_seq = 2 });
        var second = (await ws.WaitForAsync("messages_delivered", 2))[1].GetProperty("data");
        Assert.Equal(2, second.GetProperty("up_to_seq").GetInt64());
        var own = await hub.WaitFor("messages_delivered", e => e.Count >= 2, "the acting user's own connections hear it too");
        Assert.Equal(2, own[1].GetProperty("up_to_seq").GetInt64());

        await freelancerWs.SendJsonAsync(new { type = "mark_delivered" });
        Assert.Equal(422, (await freelancerWs.WaitForAsync("error")).Single().GetProperty("code").GetInt32());
        var hubError = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Connection.InvokeAsync<JsonElement>("MarkDelivered", threadId, -1L));
        Assert.StartsWith("422:", hubError.Message, StringComparison.Ordinal);
    }
}
