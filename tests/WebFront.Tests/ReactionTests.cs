using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>Reactions (spec §7) over REST, the hub and the WebSocket, their limits and their live event.</summary>
[Collection(StackCollection.Name)]
public sealed class ReactionTests(ChatStack stack)
{
    private static string Path(long messageId, string emoji) => $"api/chat/messages/{messageId}/reactions/{Uri.EscapeDataString(emoji)}/";

    [Fact]
    public async Task Rest_put_and_delete_are_idempotent_and_every_shape_carries_the_summary()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "react to me");
        var id = message.GetProperty("id").GetInt64();
        Assert.Equal(0, message.GetProperty("reactions").GetArrayLength());
        using var mine = stack.Http(client.Token);
        using var theirs = stack.Http(freelancer.Token);

        var first = await mine.PutAsync(Path(id, "👍"), JsonContent.Create(new { ignored = true }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var again = await (await mine.PutAsync(Path(id, "👍"), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, again.EnumerateArray().Single().GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await theirs.PutAsync(Path(id, "❤"), null)).StatusCode);
        var both = await (await theirs.PutAsync(Path(id, "👍"), null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["👍", "❤"], both.EnumerateArray().Select(r => r.GetProperty("emoji").GetString()!)); // first use first
        Assert.Equal(2, both[0].GetProperty("count").GetInt32());
        Assert.True(both[0].GetProperty("me").GetBoolean());

        var seenByClient = (await mine.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/")).GetProperty("reactions");
        Assert.True(seenByClient[0].GetProperty("me").GetBoolean());
        Assert.False(seenByClient[1].GetProperty("me").GetBoolean()); // ❤ is the freelancer's
        Assert.Equal(HttpStatusCode.NoContent, (await theirs.DeleteAsync(Path(id, "❤"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await theirs.DeleteAsync(Path(id, "❤"))).StatusCode);
        var page = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/");
        var listed = page.GetProperty("results")[0].GetProperty("reactions");
        Assert.Equal("👍", listed.EnumerateArray().Single().GetProperty("emoji").GetString());

        // Exactly as sent: ❤ and ❤️ are two emoji.
        Assert.Equal(2, (await (await mine.PutAsync(Path(id, "❤️"), null)).Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task Limits_deleted_messages_and_outsiders()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var id = (await ChatApi.SendAsync(stack, client, threadId, "limits")).GetProperty("id").GetInt64();
        using var mine = stack.Http(client.Token);
        using var theirs = stack.Http(freelancer.Token);
        foreach (var bad in new[] { "a b", "\u0007", "123456789", " ", "\t" })
        {
            await ProblemAssert.IsProblem(await mine.PutAsync(Path(id, bad), null), HttpStatusCode.UnprocessableEntity, "emoji");
        }
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsync(Path(id, "12345678"), null)).StatusCode); // 8 code points
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsync(Path(id, "👨‍👩‍👧"), null)).StatusCode); // 5 code points, one emoji

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await mine.PutAsync(Path(id, $"c{i}"), null)).StatusCode);
        }
        await ProblemAssert.IsProblem(await mine.PutAsync(Path(id, "c-11th"), null), HttpStatusCode.UnprocessableEntity, "emoji"); // 11th of one user
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsync(Path(id, "c0"), null)).StatusCode); // an existing one is no new reaction
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await theirs.PutAsync(Path(id, $"f{i}"), null)).StatusCode);
        }
        var admin = TestUser.Create(stack, "admin");
        using var adminHttp = stack.Http(admin.Token);
        await ProblemAssert.IsProblem(await adminHttp.PutAsync(Path(id, "21st"), null), HttpStatusCode.UnprocessableEntity, "emoji"); // 21st distinct
        Assert.Equal(HttpStatusCode.OK, (await adminHttp.PutAsync(Path(id, "f0"), null)).StatusCode); // a known emoji still may be added

        var outsider = TestUser.Create(stack, "client");
        using var outsiderHttp = stack.Http(outsider.Token);
        await ProblemAssert.IsProblem(await outsiderHttp.PutAsync(Path(id, "👍"), null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await outsiderHttp.DeleteAsync(Path(id, "👍")), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await mine.PutAsync(Path(9_000_000_000_000, "👍"), null), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await mine.DeleteAsync($"api/chat/messages/{id}/")).StatusCode);
        await ProblemAssert.IsProblem(await mine.PutAsync(Path(id, "👍"), null), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await mine.DeleteAsync(Path(id, "c0"))).StatusCode);
        Assert.Equal(0, (await mine.GetFromJsonAsync<JsonElement>($"api/chat/messages/{id}/")).GetProperty("reactions").GetArrayLength());
    }

    [Fact]
    public async Task Hub_and_websocket_react_and_reaction_updated_follows_its_message()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        await hub.JoinAsync(threadId);
        await using var ws = await WsTestClient.ConnectAsync(stack, threadId, freelancer);
        var id = (await hub.SendAsync(threadId, new { message = "live" })).GetProperty("id").GetInt64();

        var viaHub = await hub.Connection.InvokeAsync<JsonElement>("React", id, "🎉", true);
        Assert.True(viaHub[0].GetProperty("me").GetBoolean());
        await ws.SendJsonAsync(new { type = "reaction", message_id = id, emoji = "🎉", add = true });
        var updates = await ws.WaitForAsync("reaction_updated", 2);
        var frames = ws.Frames.Items.Select(WsTestClient.TypeOf).ToList();
        Assert.True(frames.IndexOf("chat_message") < frames.IndexOf("reaction_updated"), "reaction_updated overtook its message");
        var second = updates[1].GetProperty("data");
        Assert.Equal(threadId, second.GetProperty("thread").GetInt64());
        Assert.Equal(id, second.GetProperty("message_id").GetInt64());
        Assert.Equal(1, second.GetProperty("seq").GetInt64());
        Assert.Equal("🎉", second.GetProperty("emoji").GetString());
        Assert.Equal(2, second.GetProperty("count").GetInt32());
        Assert.Equal(freelancer.Id, second.GetProperty("user").GetProperty("id").GetInt64());
        Assert.True(second.GetProperty("added").GetBoolean());

        await ws.SendJsonAsync(new { type = "reaction", message_id = id, emoji = "🎉", add = false });
        var removed = await hub.WaitFor("reaction_updated", e => e.Count >= 3, "the removal on the hub");
        Assert.False(removed[2].GetProperty("added").GetBoolean());
        Assert.Equal(1, removed[2].GetProperty("count").GetInt32());

        await ws.SendJsonAsync(new { type = "reaction", message_id = id, emoji = "a b", add = true });
        Assert.Equal(422, (await ws.WaitForAsync("error")).Single().GetProperty("code").GetInt32());
        await ws.SendJsonAsync(new { type = "reaction", message_id = id, emoji = "x" });
        Assert.Equal(422, (await ws.WaitForAsync("error", 2))[1].GetProperty("code").GetInt32());
        var hubError = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Connection.InvokeAsync<JsonElement>("React", id, "", true));
        Assert.StartsWith("422:", hubError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reactions_change_no_unread_count_nor_last_message()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var message = await ChatApi.SendAsync(stack, client, threadId, "count me once");
        using var theirs = stack.Http(freelancer.Token);
        var before = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        Assert.Equal(HttpStatusCode.OK, (await theirs.PutAsync(Path(message.GetProperty("id").GetInt64(), "👍"), null)).StatusCode);
        using var mine = stack.Http(client.Token);
        Assert.Equal(HttpStatusCode.OK, (await mine.PutAsync(Path(message.GetProperty("id").GetInt64(), "👍"), null)).StatusCode);
        var after = await theirs.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        Assert.Equal(1, after.GetProperty("unread_count").GetInt32());
        Assert.Equal(before.GetProperty("last_message").GetRawText(), after.GetProperty("last_message").GetRawText());
        Assert.Equal(before.GetProperty("last_message_at").GetRawText(), after.GetProperty("last_message_at").GetRawText());
        Assert.Equal(0, (await mine.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/")).GetProperty("unread_count").GetInt32());
    }
}
