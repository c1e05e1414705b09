using Microsoft.AspNetCore.SignalR;

namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>Sends with attachments: the 422 rules, retries, races, and the message shape on every transport.</summary>
public abstract partial class AttachmentTests<TStack>
{
    [Fact]
    public async Task A_send_names_at_most_ten_own_unattached_uploads_of_its_thread_else_422()
    {
        var (_, _, threadId, clientHttp, freelancerHttp) = await NewThreadAsync();
        var (_, _, otherThread, _, otherFreelancerHttp) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(100, seed: 21);
        var ids = new List<long>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, $"f{i}.bin")).GetProperty("id").GetInt64());
        }
        var theirs = (await AttachmentApi.UploadOkAsync(freelancerHttp, threadId, bytes)).GetProperty("id").GetInt64();
        var elsewhere = (await AttachmentApi.UploadOkAsync(otherFreelancerHttp, otherThread, bytes)).GetProperty("id").GetInt64();
        var path = $"api/chat/threads/{threadId}/messages/";
        foreach (var body in new object[]
        {
            new { message = "eleven", attachments = ids.ToArray() },
            new { message = "someone else's", attachments = new[] { ids[0], theirs } },
            new { message = "another thread's", attachments = new[] { elsewhere } },
            new { message = "twice", attachments = new[] { ids[0], ids[0] } },
            new { message = "unknown", attachments = new[] { 9_000_000_000_000 } },
            new { message = "not a list", attachments = (object)"1" },
        })
        {
            await ProblemAssert.IsProblem(await clientHttp.PostAsJsonAsync(path, body), HttpStatusCode.UnprocessableEntity, "attachments");
        }
        await ProblemAssert.IsProblem(await clientHttp.PostAsJsonAsync(path, new { message = " ", attachments = Array.Empty<long>() }), HttpStatusCode.UnprocessableEntity, "message");
        Assert.Equal(0, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId)));

        // Ten are fine; then each is attached and cannot be attached again, but a retry gets the original first.
        var ten = await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "ten", attachments = ids.Take(10).ToArray(), client_message_id = "ten-1" });
        Assert.Equal(ids.Take(10), ten.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        await ProblemAssert.IsProblem(await clientHttp.PostAsJsonAsync(path, new { message = "again", attachments = new[] { ids[3] } }), HttpStatusCode.UnprocessableEntity, "attachments");
        var retry = await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "ten", attachments = ids.Take(10).ToArray(), client_message_id = "ten-1" }, HttpStatusCode.OK);
        Assert.Equal(ten.GetProperty("id").GetInt64(), retry.GetProperty("id").GetInt64());
        Assert.Equal(10, retry.GetProperty("attachments").GetArrayLength());
        Assert.Equal(10, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_message_attachments WHERE message_id = @m", ("m", ten.GetProperty("id").GetInt64())));
    }

    [Fact]
    public async Task Two_sends_racing_for_one_upload_attach_it_once()
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var id = (await AttachmentApi.UploadOkAsync(clientHttp, threadId, AttachmentApi.Bytes(10, seed: 4))).GetProperty("id").GetInt64();
        var path = $"api/chat/threads/{threadId}/messages/";
        var sends = Enumerable.Range(0, 8).Select(i => clientHttp.PostAsJsonAsync(path, new { message = $"race {i}", attachments = new[] { id } })).ToArray();
        var statuses = (await Task.WhenAll(sends)).Select(r => r.StatusCode).ToArray();
        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.UnprocessableEntity, s));
        Assert.Equal(1, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_message_attachments WHERE attachment_id = @a", ("a", id)));
        Assert.Equal(1, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE thread_id = @t", ("t", threadId)));
    }

    [Fact]
    public async Task Hub_and_websocket_sends_attach_and_live_events_and_search_carry_the_attachments()
    {
        var (client, freelancer, threadId, clientHttp, freelancerHttp) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(2000, seed: 31);
        var viaHub = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, "hub.bin");
        var viaWs = await AttachmentApi.UploadOkAsync(freelancerHttp, threadId, bytes, "ws.bin");
        await using var hub = await HubClient.ConnectAsync(Chat.FrontUri, client.Token);
        await hub.JoinAsync(threadId);
        await using var ws = await WsTestClient.ConnectAsync(Chat, threadId, freelancer);

        var sent = await hub.SendAsync(threadId, new { message = "quotation attached", attachments = new[] { viaHub.GetProperty("id").GetInt64() } });
        Assert.Equal("hub.bin", Assert.Single(sent.GetProperty("attachments").EnumerateArray()).GetProperty("file_name").GetString());
        await ws.SendJsonAsync(new { type = "chat_message", message = "", attachments = new[] { viaWs.GetProperty("id").GetInt64() } });

        var frames = await ws.WaitForAsync("chat_message", 2);
        Assert.Equal(new[] { "hub.bin", "ws.bin" }, frames.Select(f => Assert.Single(f.GetProperty("data").GetProperty("attachments").EnumerateArray()).GetProperty("file_name").GetString()));
        var live = await hub.WaitFor("chat_message", e => e.Count >= 2, "both messages on the hub");
        var fromWs = Assert.Single(live, m => m.GetProperty("message").GetString() == "");
        await AttachmentApi.DownloadEqualsAsync(clientHttp, Assert.Single(fromWs.GetProperty("attachments").EnumerateArray()), bytes);

        var hits = await clientHttp.GetFromJsonAsync<JsonElement>("api/chat/search/?q=quotation");
        var hit = Assert.Single(hits.GetProperty("results").EnumerateArray());
        await AttachmentApi.DownloadEqualsAsync(freelancerHttp, Assert.Single(hit.GetProperty("attachments").EnumerateArray()), bytes);

        // Refusals on the realtime transports: the WebSocket's error frame, the hub's "422: …".
        await ws.SendJsonAsync(new { type = "chat_message", message = "x", attachments = new[] { viaHub.GetProperty("id").GetInt64() }, client_message_id = "taken" });
        var error = (await ws.WaitForAsync("error")).Single();
        Assert.Equal(422, error.GetProperty("code").GetInt32());
        Assert.Equal("taken", error.GetProperty("client_message_id").GetString());
        var hubError = await Assert.ThrowsAsync<HubException>(() => hub.SendAsync(threadId, new { message = "x", attachments = Enumerable.Range(1, 11).ToArray() }));
        Assert.StartsWith("422: attachments", hubError.Message, StringComparison.Ordinal);
    }
}
