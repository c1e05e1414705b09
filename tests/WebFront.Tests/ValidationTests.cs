using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>Every limit of spec §2 and §3 is enforced with the documented status.</summary>
[Collection(StackCollection.Name)]
public sealed class ValidationTests(ChatStack stack)
{
    [Fact]
    public async Task Message_limits()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http(client.Token);
        var path = $"api/chat/threads/{threadId}/messages/";
        // 10,000 code points pass even when they take two UTF-16 units each; 10,001 do not.
        var astral = string.Concat(Enumerable.Repeat("😀", 10_000));
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync(path, new { message = astral })).StatusCode);
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = new string('a', 10_001) }), HttpStatusCode.UnprocessableEntity, "message");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync(path, new { message = "  " + new string('a', 10_000) + "  " })).StatusCode);
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "nul\u0000byte" }), HttpStatusCode.UnprocessableEntity, "message");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "bell\u0007" }), HttpStatusCode.UnprocessableEntity, "message");
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync(path, new { message = "tab\tcr\rlf\n" })).StatusCode);
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "   " }), HttpStatusCode.UnprocessableEntity, "message");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = 42 }), HttpStatusCode.UnprocessableEntity, "message");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { text = "wrong field" }), HttpStatusCode.UnprocessableEntity, "message");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", metadata = new[] { 1, 2 } }), HttpStatusCode.UnprocessableEntity, "metadata");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", metadata = "string" }), HttpStatusCode.UnprocessableEntity, "metadata");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", metadata = new { big = new string('m', 16 * 1024) } }), HttpStatusCode.UnprocessableEntity, "metadata");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", message_type = "payment" }), HttpStatusCode.UnprocessableEntity, "message_type");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", message_type = "system" }), HttpStatusCode.UnprocessableEntity, "message_type");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", message_type = "poem" }), HttpStatusCode.UnprocessableEntity, "message_type");
        await ProblemAssert.IsProblem(await http.PostAsJsonAsync(path, new { message = "x", client_message_id = new string('c', 65) }), HttpStatusCode.UnprocessableEntity, "client_message_id");
    }

    [Fact]
    public async Task Body_format_errors()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http(client.Token);
        var path = $"api/chat/threads/{threadId}/messages/";
        await ProblemAssert.IsProblem(await http.PostAsync(path, new StringContent("{\"message\": \"x\"", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblem(await http.PostAsync(path, new StringContent("{\"message\": \"x\"}", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAssert.IsProblem(await http.PostAsync(path, new StringContent("[1,2]", Encoding.UTF8, "application/json")), HttpStatusCode.UnprocessableEntity);
        // A client sending a large body asks first (Expect: 100-continue), so the 413 arrives before the body is written;
        // without it the server's early answer and connection close race the client's write (a broken pipe).
        var huge = "{\"message\": \"" + new string('a', 1024 * 1024 + 10) + "\"}";
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        tooLarge.Headers.ExpectContinue = true;
        await ProblemAssert.IsProblem(await http.SendAsync(tooLarge), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.IsProblem(await http.PostAsync(path, null), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_system_message_needs_a_service_or_admin_account_and_counts_as_unread_for_both()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        var service = TestUser.Create(stack, "service");
        using var http = stack.Http(service.Token);
        var sent = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = "Contract signed", message_type = "system" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        foreach (var user in new[] { client, freelancer })
        {
            using var mine = stack.Http(user.Token);
            Assert.Equal(1, (await mine.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/")).GetProperty("unread_count").GetInt32());
        }
    }
}
