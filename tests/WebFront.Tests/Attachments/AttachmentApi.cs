using System.Net.Http.Headers;

namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>Uploads and downloads over HTTP as a client would, and the bytes the tests compare.</summary>
public static class AttachmentApi
{
    /// <summary>Deterministic pseudo-random bytes after <paramref name="prefix"/> (a file signature), <paramref name="size"/> in all.</summary>
    public static byte[] Bytes(int size, ReadOnlySpan<byte> prefix = default, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        prefix[..Math.Min(prefix.Length, size)].CopyTo(bytes);
        return bytes;
    }

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static Task<HttpResponseMessage> UploadAsync(HttpClient http, long threadId, byte[] bytes, string fileName, string? contentType) =>
        UploadAsync(http, threadId, new ByteArrayContent(bytes), fileName, contentType);

    public static Task<HttpResponseMessage> UploadAsync(HttpClient http, long threadId, HttpContent file, string fileName, string? contentType)
    {
        if (contentType is not null)
        {
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return http.PostAsync($"api/chat/threads/{threadId}/attachments/", form);
    }

    /// <summary>Uploads and asserts the 201 and its fields (size and SHA-256 of exactly these bytes).</summary>
    public static async Task<JsonElement> UploadOkAsync(HttpClient http, long threadId, byte[] bytes, string fileName = "file.bin", string? contentType = "application/octet-stream")
    {
        var response = await UploadAsync(http, threadId, bytes, fileName, contentType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {body}");
        var uploaded = JsonDocument.Parse(body).RootElement;
        Assert.Equal(bytes.LongLength, uploaded.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), uploaded.GetProperty("sha256").GetString());
        Assert.Equal($"/api/chat/attachments/{uploaded.GetProperty("id").GetInt64()}/", uploaded.GetProperty("url").GetString());
        Assert.Equal(uploaded.GetProperty("url").GetString(), response.Headers.Location?.OriginalString);
        return uploaded;
    }

    public static async Task<HttpResponseMessage> DownloadAsync(HttpClient http, JsonElement attachment, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, attachment.GetProperty("url").GetString()!.TrimStart('/'));
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }
        return await http.SendAsync(request);
    }

    /// <summary>Downloads the whole file and asserts that the bytes are exactly <paramref name="expected"/>.</summary>
    public static async Task<HttpResponseMessage> DownloadEqualsAsync(HttpClient http, JsonElement attachment, byte[] expected)
    {
        var response = await DownloadAsync(http, attachment);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(expected.Length, bytes.Length);
        Assert.True(expected.AsSpan().SequenceEqual(bytes), "downloaded bytes differ from the upload");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        return response;
    }

    public static async Task<JsonElement> SendAsync(HttpClient http, long threadId, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"send answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Polls a condition of stored state (no event announces it) until it holds, with a deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
