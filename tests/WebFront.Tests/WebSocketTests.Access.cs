using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>Who may open a socket on a thread: tokens, outsiders, the query, plain HTTP, expiry (spec §1, §4).</summary>
public sealed partial class WebSocketTests
{
    public static TheoryData<string> BadTokens => ["missing", "garbage", "wrong-key", "expired", "alg-none", "wrong-audience", "bad-claims"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_missing_or_expired_token_is_closed_with_4401(string kind)
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var token = kind switch
        {
            "missing" => null,
            "garbage" => "not-a-jwt",
            "wrong-key" => stack.Tokens.Mint(client.Id, client.Username, "client", key: "another-signing-key-0123456789abcdef0123"),
            "expired" => stack.Tokens.Mint(client.Id, client.Username, "client", lifetime: TimeSpan.FromMinutes(-10)),
            "alg-none" => TestTokens.Unsigned(client.Id, client.Username, "client"),
            "wrong-audience" => stack.Tokens.Mint(client.Id, client.Username, "client", audience: "billing"),
            "bad-claims" => stack.Tokens.Mint(client.Id, client.Username, "superuser"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, token));

        Assert.Equal(4401, await ws.WaitForCloseAsync());
        Assert.Empty(ws.Frames.Items);
    }

    [Fact]
    public async Task Access_token_and_a_path_without_trailing_slash_are_accepted()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, client.Token, tokenParameter: "access_token", trailingSlash: false));
        await AssertStillWorksAsync(ws);
    }

    [Fact]
    public async Task An_outsider_an_unknown_thread_and_a_nonsense_id_are_closed_with_4403()
    {
        var (_, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var outsider = TestUser.Create(stack, "client");

        await using var foreign = await WsTestClient.ConnectAsync(stack, threadId, outsider);
        Assert.Equal(4403, await foreign.WaitForCloseAsync());

        await using var unknown = await WsTestClient.ConnectAsync(stack, threadId + 1_000_000, outsider);
        Assert.Equal(4403, await unknown.WaitForCloseAsync());

        var nonsense = new UriBuilder(WsTestClient.Url(stack, threadId, outsider.Token)) { Path = "/ws/chat/abc/" }.Uri;
        await using var bad = await WsTestClient.ConnectAsync(nonsense);
        Assert.Equal(4403, await bad.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_malformed_after_seq_gets_an_error_and_close_4400()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var url = new UriBuilder(WsTestClient.Url(stack, threadId, client.Token)) { Query = $"token={client.Token}&after_seq=abc" }.Uri;
        await using var ws = await WsTestClient.ConnectAsync(url);

        Assert.Equal(4400, await ws.WaitForCloseAsync());
        Assert.Equal(400, Assert.Single(ws.OfType("error")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_plain_HTTP_request_gets_a_problem_400()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        using var http = stack.Http();
        var response = await http.GetAsync($"ws/chat/{threadId}/?token={client.Token}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_connection_is_closed_with_4401_when_its_token_expires()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(stack);
        var shortLived = stack.Tokens.Mint(client.Id, client.Username, "client", lifetime: TimeSpan.FromSeconds(3),
            extra: new Dictionary<string, object> { ["company_name"] = "Test Company" });
        await using var ws = await WsTestClient.ConnectAsync(WsTestClient.Url(stack, threadId, shortLived));
        await AssertStillWorksAsync(ws);

        Assert.Equal(4401, await ws.WaitForCloseAsync());
    }
}
