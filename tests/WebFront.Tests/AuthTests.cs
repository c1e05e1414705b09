using System.Net.Http.Headers;

namespace OrleansChat.WebFront.Tests;

/// <summary>JWT validation exactly as spec §1: every bad token is a problem+json 401.</summary>
[Collection(StackCollection.Name)]
public sealed class AuthTests(ChatStack stack)
{
    public static TheoryData<string> BadTokenKinds => ["missing", "garbage", "expired", "wrong audience", "wrong issuer", "alg none", "forged signature", "not yet valid", "no expiry", "bad sub", "unknown role", "no username"];

    [Theory]
    [MemberData(nameof(BadTokenKinds))]
    public async Task Bad_tokens_get_401_problem(string kind)
    {
        var tokens = stack.Tokens;
        string? token = kind switch
        {
            "missing" => null,
            "garbage" => "not.a.jwt",
            "expired" => tokens.Mint(5, "u5", "client", lifetime: TimeSpan.FromMinutes(-2)),
            "wrong audience" => tokens.Mint(5, "u5", "client", audience: "billing"),
            "wrong issuer" => tokens.Mint(5, "u5", "client", issuer: "someone-else"),
            "alg none" => TestTokens.Unsigned(5, "u5", "client"),
            "forged signature" => tokens.Mint(5, "u5", "client", key: "another-key-that-is-long-enough-0123456789"),
            "not yet valid" => tokens.Mint(5, "u5", "client", notBefore: DateTime.UtcNow.AddMinutes(10)),
            "no expiry" => NoExpiry(tokens.SigningKey),
            "bad sub" => tokens.Mint(-3, "u5", "client"),
            "unknown role" => tokens.Mint(5, "u5", "superuser"),
            "no username" => tokens.Mint(5, "", "client"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var http = stack.Http(token);
        foreach (var path in new[] { "api/chat/threads/", "api/chat/unread-count/", "api/chat/users/me/", "api/chat/threads/1/messages/" })
        {
            await ProblemAssert.IsProblem(await http.GetAsync(path), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Expired_within_the_allowed_skew_is_still_accepted_but_not_beyond()
    {
        using var within = stack.Http(stack.Tokens.Mint(6, "u6", "client", lifetime: TimeSpan.FromSeconds(-10)));
        Assert.Equal(HttpStatusCode.OK, (await within.GetAsync("api/chat/users/me/")).StatusCode);
        using var beyond = stack.Http(stack.Tokens.Mint(6, "u6", "client", lifetime: TimeSpan.FromSeconds(-45)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await beyond.GetAsync("api/chat/users/me/")).StatusCode);
    }

    [Fact]
    public async Task The_profile_is_recorded_from_claims()
    {
        var user = TestUser.Create(stack, "freelancer", new Dictionary<string, object> { ["title"] = "Designer", ["rate"] = "42.50" });
        using var http = stack.Http(user.Token);
        var me = await http.GetFromJsonAsync<JsonElement>("api/chat/users/me/");
        Assert.Equal(user.Id, me.GetProperty("id").GetInt64());
        Assert.Equal(user.Username, me.GetProperty("username").GetString());
        Assert.Equal("freelancer", me.GetProperty("role").GetString());
        Assert.Equal("Designer", me.GetProperty("title").GetString());
        Assert.Equal("42.50", me.GetProperty("rate").GetString());
    }

    [Fact]
    public async Task The_development_key_is_refused_outside_development()
    {
        // The stack runs as Production with its own key: a token signed with the public development key is forged.
        var token = stack.Tokens.Mint(7, "u7", "client", key: "dev-only-signing-key-change-me-0123456789abcdef");
        using var http = stack.Http(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/chat/users/me/")).StatusCode);
        var refused = Assert.Throws<OrleansChat.GrainInterfaces.Configuration.InvalidSettingsException>(() =>
            OrleansChat.WebFront.Hosting.ChatFrontHost.Build([], c => Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(c,
                new Dictionary<string, string?> { ["Jwt:SigningKey"] = "dev-only-signing-key-change-me-0123456789abcdef", ["ConnectionStrings:ChatDb"] = "Host=x", ["ConnectionStrings:Redis"] = "x" })));
        Assert.Contains("development signing key", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string NoExpiry(string key)
    {
        static string B64(byte[] b) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(b);
        var header = B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8.ToArray());
        var payload = B64(System.Text.Encoding.UTF8.GetBytes("{\"sub\":\"5\",\"username\":\"u5\",\"role\":\"client\",\"iss\":\"marketplace\",\"aud\":\"chat\"}"));
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(key));
        return $"{header}.{payload}.{B64(hmac.ComputeHash(System.Text.Encoding.ASCII.GetBytes($"{header}.{payload}")))}";
    }
}
