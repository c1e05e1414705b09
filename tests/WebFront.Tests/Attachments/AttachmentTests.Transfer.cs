namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>Upload, attach, download with and without Range, and the 25 MiB limit.</summary>
public abstract partial class AttachmentTests<TStack>
{
    [Fact]
    public async Task An_upload_is_the_uploaders_until_attached_then_every_participant_downloads_the_same_bytes()
    {
        var (_, _, threadId, clientHttp, freelancerHttp) = await NewThreadAsync();
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, LargePng, "Entwurf – final.png", "image/png");
        Assert.Equal("image/png", uploaded.GetProperty("content_type").GetString());
        Assert.Equal("Entwurf – final.png", uploaded.GetProperty("file_name").GetString());
        var id = uploaded.GetProperty("id").GetInt64();
        Assert.Equal(Stack.StoreName, await Chat.Database.ScalarAsync<string>("SELECT store FROM chat_attachments WHERE id = @id", ("id", id)));
        Assert.True(await Stack.HasBytesAsync(id));

        var own = await AttachmentApi.DownloadEqualsAsync(clientHttp, uploaded, LargePng);
        Assert.Equal("image/png", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", own.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Entwurf – final.png", own.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(HttpStatusCode.NotFound, (await AttachmentApi.DownloadAsync(freelancerHttp, uploaded)).StatusCode);

        // Attached with empty text: the message carries it everywhere the message shape appears.
        var message = await AttachmentApi.SendAsync(clientHttp, threadId, new { message = "", attachments = new[] { id } });
        Assert.Equal("", message.GetProperty("message").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal(id, attachment.GetProperty("id").GetInt64());
        Assert.Equal("Entwurf – final.png", attachment.GetProperty("file_name").GetString());
        Assert.Equal("image/png", attachment.GetProperty("content_type").GetString());
        Assert.Equal(LargePng.LongLength, attachment.GetProperty("size").GetInt64());
        Assert.Equal(uploaded.GetProperty("url").GetString(), attachment.GetProperty("url").GetString());
        Assert.False(attachment.TryGetProperty("sha256", out _));

        var page = await freelancerHttp.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/messages/");
        var listed = page.GetProperty("results").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == message.GetProperty("id").GetInt64());
        Assert.Equal(id, Assert.Single(listed.GetProperty("attachments").EnumerateArray()).GetProperty("id").GetInt64());
        await AttachmentApi.DownloadEqualsAsync(freelancerHttp, attachment, LargePng);
        await AttachmentApi.DownloadEqualsAsync(clientHttp, attachment, LargePng);

        // A message without attachments carries an empty list.
        var plain = await AttachmentApi.SendAsync(freelancerHttp, threadId, new { message = "thanks" });
        Assert.Empty(plain.GetProperty("attachments").EnumerateArray());
    }

    [Theory]
    [InlineData("bytes=100-299", 100, 200)]
    [InlineData("bytes=262100-262299", 262100, 200)] // across PostgreSQL's chunk boundary (256 KiB)
    [InlineData("bytes=5242800-5242999", 5242800, 200)] // across the S3 store's part boundary (5 MiB)
    [InlineData("bytes=6291000-", 6291000, 579)] // open-ended, to the last byte
    [InlineData("bytes=-500", 6291079, 500)] // the last 500 bytes
    [InlineData("bytes=6291400-99999999", 6291400, 179)] // past the end: cut at the last byte
    public async Task A_range_is_answered_206_with_exactly_those_bytes(string range, int from, int length)
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, LargePng, "big.png", "image/png");
        var response = await AttachmentApi.DownloadAsync(clientHttp, uploaded, range);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(LargePng.AsSpan(from, length).SequenceEqual(bytes), $"bytes of {range} differ");
        Assert.Equal($"bytes {from}-{from + length - 1}/{LargePng.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_416_and_a_stale_If_Range_gets_the_whole_file()
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var bytes = AttachmentApi.Bytes(1000, seed: 3);
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, bytes);
        var refused = await AttachmentApi.DownloadAsync(clientHttp, uploaded, "bytes=1000-");
        await ProblemAssert.IsProblem(refused, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal("bytes */1000", refused.Content.Headers.ContentRange?.ToString());

        using var request = new HttpRequestMessage(HttpMethod.Get, uploaded.GetProperty("url").GetString()!.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        request.Headers.TryAddWithoutValidation("If-Range", "\"not-the-etag\"");
        var whole = await clientHttp.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{uploaded.GetProperty("sha256").GetString()}\"", whole.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Exactly_25_MiB_is_taken_and_one_byte_more_is_413_with_nothing_stored()
    {
        var (_, _, threadId, clientHttp, _) = await NewThreadAsync();
        var limit = AttachmentApi.Bytes((int)AttachmentLimits.MaxFileBytes, seed: 11);
        var uploaded = await AttachmentApi.UploadOkAsync(clientHttp, threadId, limit, "exactly.bin");
        await AttachmentApi.DownloadEqualsAsync(clientHttp, uploaded, limit);

        var tooLarge = AttachmentApi.Bytes((int)AttachmentLimits.MaxFileBytes + 1, seed: 12);
        await ProblemAssert.IsProblem(await AttachmentApi.UploadAsync(clientHttp, threadId, tooLarge, "big.bin", null), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(1, await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachments WHERE thread_id = @t", ("t", threadId)));
        var refusedId = uploaded.GetProperty("id").GetInt64() + 1;
        Assert.False(await Stack.HasBytesAsync(refusedId));
    }

    [Fact]
    public async Task A_body_declared_too_large_is_refused_before_it_is_sent()
    {
        var (client, _, threadId, _, _) = await NewThreadAsync();
        var body = new CountingContent(200L * 1024 * 1024);
        // The client waits for "100 Continue" before sending a byte; the server answers 413 instead.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = Chat.FrontUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/chat/threads/{threadId}/attachments/") { Content = body };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        var response = await http.SendAsync(request);
        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(body.Sent < 1024 * 1024, $"the client sent {body.Sent} bytes of a refused body");
    }
}
