namespace OrleansChat.WebClient.Tests;

/// <summary>POST /api/dev/token in Development (its absence in Production: <see cref="WebClientHostingTests"/>).</summary>
public sealed class DevTokenTests(DevelopmentStack development) : IClassFixture<DevelopmentStack>
{
    private ChatStack Stack => development.Stack;

    [Fact]
    public async Task A_minted_token_signs_the_user_in_with_the_profile_it_was_minted_with()
    {
        using var http = Stack.Http();
        var minted = await http.PostAsJsonAsync("api/dev/token", new { user_id = 4711, username = "dana", role = "freelancer", title = "Translator", rate = "42.5" });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();

        using var signedIn = Stack.Http(token);
        var me = await signedIn.GetFromJsonAsync<JsonElement>("api/chat/users/me/");
        Assert.Equal(4711, me.GetProperty("id").GetInt64());
        Assert.Equal("dana", me.GetProperty("username").GetString());
        Assert.Equal("freelancer", me.GetProperty("role").GetString());
        Assert.Equal("Translator", me.GetProperty("title").GetString());
        Assert.Equal("42.50", me.GetProperty("rate").GetString());
    }

    [Fact]
    public async Task Invalid_claims_are_refused_with_422_naming_the_fields()
    {
        using var http = Stack.Http();
        var response = await http.PostAsJsonAsync("api/dev/token", new { user_id = -1, username = "x", role = "owner", rate = "cheap" });
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("user_id", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("rate", out _));
    }
}
