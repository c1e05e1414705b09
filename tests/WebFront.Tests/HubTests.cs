using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.WebFront.Tests;

/// <summary>The SignalR hub (spec §5) with real clients: every event, errors, catch-up, protocols.</summary>
[Collection(StackCollection.Name)]
public sealed class HubTests(ChatStack stack)
{
    [Fact]
    public async Task Every_event_reaches_the_other_participant_and_outsiders_get_nothing()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var alice = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        await using var bob = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token);
        var outsiderUser = TestUser.Create(stack, "freelancer");
        await using var outsider = await HubClient.ConnectAsync(stack.FrontUri, outsiderUser.Token);
        await alice.JoinAsync(threadId);
        await bob.JoinAsync(threadId);
        var denied = await Assert.ThrowsAsync<HubException>(() => outsider.JoinAsync(threadId));
        Assert.StartsWith("404: ", denied.Message, StringComparison.Ordinal);

        var sent = await alice.SendAsync(threadId, new { message = "hello bob", client_message_id = "h-1" });
        var id = sent.GetProperty("id").GetInt64();
        var pushed = Assert.Single(await bob.WaitFor("chat_message", e => e.Count == 1, "bob's chat_message"));
        Assert.Equal(id, pushed.GetProperty("id").GetInt64());
        Assert.Equal(threadId, pushed.GetProperty("thread").GetInt64());
        await alice.WaitFor("chat_message", e => e.Count == 1, "the sender's own chat_message");
        var unread = await bob.WaitFor("unread_count", e => e.Any(u => u.GetProperty("thread_unread_count").GetInt32() == 1), "bob's unread_count");
        Assert.True(unread.Last().GetProperty("unread_count").GetInt32() >= 1);
        await bob.WaitFor("thread_updated", e => e.Any(t => t.GetProperty("id").GetInt64() == threadId), "bob's thread_updated");

        await bob.Connection.InvokeAsync("Typing", threadId, true);
        var typing = await alice.WaitFor("typing_indicator", e => e.Count >= 1, "alice sees bob typing");
        Assert.Equal((freelancer.Username, true, threadId), (typing[0].GetProperty("user").GetString(), typing[0].GetProperty("is_typing").GetBoolean(), typing[0].GetProperty("thread").GetInt64()));

        var read = await bob.Connection.InvokeAsync<JsonElement>("MarkRead", threadId, new { message_ids = new[] { id } });
        Assert.Equal((1, 0), (read.GetProperty("marked").GetInt32(), read.GetProperty("unread_count").GetInt32()));
        var receipt = await alice.WaitFor("messages_read", e => e.Count >= 1, "alice's read receipt");
        Assert.Equal(freelancer.Username, receipt[0].GetProperty("reader").GetString());
        Assert.Equal([id], receipt[0].GetProperty("message_ids").EnumerateArray().Select(x => x.GetInt64()));

        using var http = stack.Http(client.Token);
        await http.PutAsJsonAsync($"api/chat/messages/{id}/", new { message = "hello bob (edited)" });
        var edited = await bob.WaitFor("message_edited", e => e.Count == 1, "message_edited");
        Assert.Equal("hello bob (edited)", edited[0].GetProperty("message").GetString());
        await http.DeleteAsync($"api/chat/messages/{id}/");
        var deleted = await bob.WaitFor("message_deleted", e => e.Count == 1, "message_deleted");
        Assert.Equal((id, threadId, 1L), (deleted[0].GetProperty("id").GetInt64(), deleted[0].GetProperty("thread").GetInt64(), deleted[0].GetProperty("seq").GetInt64()));

        // The typist never hears their own typing, and the outsider heard nothing at all.
        Assert.Empty(bob.Received("typing_indicator"));
        Assert.Empty(outsider.Events.Items);
    }

    [Fact]
    public async Task Errors_are_hub_exceptions_with_the_REST_status()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var alice = await HubClient.ConnectAsync(stack.FrontUri, client.Token);
        var empty = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync(threadId, new { message = "" }));
        Assert.StartsWith("422: message", empty.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync(987654321987, new { message = "x" }));
        Assert.Equal("404: Not found.", unknown.Message);
        var badType = await Assert.ThrowsAsync<HubException>(() => alice.SendAsync(threadId, new { message = "x", message_type = "payment" }));
        Assert.StartsWith("422: message_type", badType.Message, StringComparison.Ordinal);
        // Still connected and usable.
        Assert.Equal(1, (await alice.SendAsync(threadId, new { message = "fine" })).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Connecting_without_a_valid_token_is_refused()
    {
        var bad = HubConnections.Builder(stack.FrontUri, "nope").Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => bad.StartAsync());
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        await bad.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_missed_100_messages_catches_up_exactly_once_in_order()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var seen = new SortedDictionary<long, long>();
        await using (var first = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token))
        {
            await first.JoinAsync(threadId, 0);
            for (var i = 0; i < 3; i++)
            {
                await ChatApi.SendAsync(stack, client, threadId, $"live {i}");
            }
            foreach (var m in await first.WaitFor("chat_message", e => e.Count == 3, "three live messages"))
            {
                seen.Add(m.GetProperty("seq").GetInt64(), m.GetProperty("id").GetInt64());
            }
        }
        for (var i = 0; i < 100; i++)
        {
            await ChatApi.SendAsync(stack, client, threadId, $"missed {i}");
        }

        await using var again = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token);
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await ChatApi.SendAsync(stack, client, threadId, $"during catch-up {i}");
            }
        });
        var missed = await again.JoinAsync(threadId, seen.Keys.Max());
        await sender;
        var live = await again.WaitFor("chat_message", e => e.Any(m => m.GetProperty("seq").GetInt64() == 123), "live messages up to seq 123");
        // Clients order by seq and drop seqs already seen (spec §5): do exactly that, then check.
        foreach (var m in missed.EnumerateArray().Concat(live))
        {
            seen.TryAdd(m.GetProperty("seq").GetInt64(), m.GetProperty("id").GetInt64());
        }
        Assert.Equal(Enumerable.Range(1, 123).Select(i => (long)i), seen.Keys);
        Assert.Equal(123, seen.Values.Distinct().Count());
        Assert.True(missed.GetArrayLength() >= 100);
        Assert.Equal(Enumerable.Range(4, missed.GetArrayLength()).Select(i => (long)i), missed.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task MessagePack_clients_get_the_same_events()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var bob = await HubClient.ConnectAsync(stack.FrontUri, freelancer.Token, messagePack: true);
        var joined = await bob.Connection.InvokeAsync<object[]>("JoinThread", threadId, (long?)null);
        Assert.Empty(joined);
        var received = new EventWaiter<Dictionary<object, object>>();
        bob.Connection.On<Dictionary<object, object>>("chat_message", received.Add);
        await ChatApi.SendAsync(stack, client, threadId, "packed");
        var message = (await received.WaitUntil(e => e.Count == 1, TimeSpan.FromSeconds(30), "a MessagePack chat_message"))[0];
        Assert.Equal("packed", message["message"]);
        Assert.Equal(threadId, Convert.ToInt64(message["thread"], System.Globalization.CultureInfo.InvariantCulture));

        var own = await bob.Connection.InvokeAsync<Dictionary<object, object>>("SendMessage", threadId, new Dictionary<string, object> { ["message"] = "from pack", ["client_message_id"] = "mp-1" });
        Assert.Equal(2L, Convert.ToInt64(own["seq"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("mp-1", own["client_message_id"]);
        var refused = await Assert.ThrowsAsync<HubException>(() => bob.Connection.InvokeAsync<object>("SendMessage", threadId, new Dictionary<string, object> { ["message"] = "" }));
        Assert.StartsWith("422: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_closes_when_the_token_expires()
    {
        var user = TestUser.Create(stack, "client");
        var shortLived = stack.Tokens.Mint(user.Id, user.Username, "client", lifetime: TimeSpan.FromSeconds(2));
        await using var hub = await HubClient.ConnectAsync(stack.FrontUri, shortLived);
        await hub.Closed.WaitUntil(c => c.Count == 1, TimeSpan.FromSeconds(30), "the server to close the connection");
        Assert.Equal(HubConnectionState.Disconnected, hub.Connection.State);
    }
}
