namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>Who may upload and download (404 for everyone else), served content types, deletion and the cleanup job.</summary>
public abstract partial class AttachmentTests<TStack>
{
    [Fact]
    public async Task Outsiders_and_other_threads_get_404_for_uploads_and_downloads()
    {
        var (_, _, threadId, clientHttp, freelancerHttp) = await NewThreadAsync();
        var (_, _, otherThread, otherHttp, _) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(4000, seed: 5);
        var attached = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, "contract.pdf", "application/pdf");
        await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "the contract", attachments = new[] { attached.GetProperty("id").GetInt64() } });
        await AttachmentApi.DownloadEqualsAsync(freelancerHttp, attached, bytes);

        // A participant of another thread is an outsider here: no upload, no download.
        await ProblemAssert.IsProblem(await AttachmentApi.UploadAsync(otherHttp, threadId, bytes, "x.bin", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await AttachmentApi.DownloadAsync(otherHttp, attached), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await AttachmentApi.DownloadAsync(otherHttp, attached, "bytes=0-9")).StatusCode);
        await ProblemAssert.IsProblem(await AttachmentApi.UploadAsync(clientHttp, 9_000_000_000_000, bytes, "x.bin", null), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await clientHttp.GetAsync("api/chat/attachments/9000000000000/"), HttpStatusCode.NotFound);
        Assert.Equal(1, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachments WHERE thread_id = @t", ("t", threadId)));
        Assert.Equal(0, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachments WHERE thread_id = @t", ("t", otherThread)));

        // The marketplace's accounts see every thread, so they may fetch an attached file.
        var admin = TestUser.Create(Chat, "admin");
        await AttachmentApi.DownloadEqualsAsync(Chat.Http(admin.Token), attached, bytes);
        // Without a token: 401.
        await ProblemAssert.IsProblem(await AttachmentApi.DownloadAsync(Chat.Http(), attached), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("page.html", "text/html", "<html><script>alert(1)</script></html>", "application/octet-stream")]
    [InlineData("logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "application/octet-stream")]
    [InlineData("fake.png", "image/png", "not a png at all", "application/octet-stream")]
    [InlineData("notes.txt", "text/plain; charset=utf-8", "Preis: 120 € — ok", "text/plain")]
    [InlineData("binary.txt", "text/plain", "nul\0inside", "application/octet-stream")]
    [InlineData("doc.pdf", "application/pdf", "%PDF-1.7 rest", "application/pdf")]
    public async Task The_declared_type_is_kept_only_when_allowed_and_the_bytes_confirm_it(string name, string declared, string content, string served)
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, name, declared);
        Assert.Equal(served, uploaded.GetProperty("content_type").GetString());
        var response = await AttachmentApi.DownloadEqualsAsync(clientHttp, uploaded, bytes);
        Assert.Equal(served, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Deleting_the_message_removes_access_and_the_cleanup_removes_its_bytes()
    {
        var (_, _, threadId, clientHttp, freelancerHttp) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(300_000, seed: 9);
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes);
        var id = uploaded.GetProperty("id").GetInt64();
        var message = await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "see file", attachments = new[] { id } });
        await AttachmentApi.DownloadEqualsAsync(freelancerHttp, uploaded, bytes);

        Assert.Equal(HttpStatusCode.NoContent, (await clientHttp.DeleteAsync($"api/chat/messages/{message.GetProperty("id").GetInt64()}/")).StatusCode);
        await ProblemAssert.IsProblem(await AttachmentApi.DownloadAsync(freelancerHttp, uploaded), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblem(await AttachmentApi.DownloadAsync(clientHttp, uploaded), HttpStatusCode.NotFound);
        var tombstone = await clientHttp.GetFromJsonAsync<JsonElement>($"api/chat/messages/{message.GetProperty("id").GetInt64()}/");
        Assert.Empty(tombstone.GetProperty("attachments").EnumerateArray());
        // Nor can the upload be attached again.
        await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "again", attachments = new[] { id } }, HttpStatusCode.UnprocessableEntity);

        await AttachmentApi.EventuallyAsync(async () => !await Stack.HasBytesAsync(id), "the deleted message's bytes to be removed");
        Assert.Equal(0, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachments WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task The_cleanup_job_removes_unattached_uploads_older_than_24_hours_only()
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(1000, seed: 13);
        var old = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, "old.bin");
        var kept = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, "attached.bin");
        await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "keep", attachments = new[] { kept.GetProperty("id").GetInt64() } });
        Stack.Clock.Advance(TimeSpan.FromHours(12));
        var young = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes, "young.bin");
        Stack.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));

        var oldId = old.GetProperty("id").GetInt64();
        await AttachmentApi.EventuallyAsync(async () =>
            await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachments WHERE id = @id", ("id", oldId)) == 0, "the old upload to be removed");
        await AttachmentApi.EventuallyAsync(async () => !await Stack.HasBytesAsync(oldId), "the old upload's bytes to be removed");
        await ProblemAssert.IsProblem(await AttachmentApi.DownloadAsync(clientHttp, old), HttpStatusCode.NotFound);
        // The run that removed it (cutoff 24 h back) left the 12-hour-old upload and the attached one.
        await AttachmentApi.DownloadEqualsAsync(clientHttp, young, bytes);
        await AttachmentApi.DownloadEqualsAsync(clientHttp, kept, bytes);
        await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "late", attachments = new[] { young.GetProperty("id").GetInt64() } });
    }
}
