using System.Text.RegularExpressions;

namespace OrleansChat.WebClient.Tests;

/// <summary>How the front serves the web client, on a Production stack (the stack's default environment).</summary>
public sealed partial class WebClientHostingTests(ChatStack stack) : IClassFixture<ChatStack>
{
    [GeneratedRegex("src=\"(/app/assets/[^\"]+\\.js)\"")]
    private static partial Regex ScriptPath();

    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist_outside_Development()
    {
        using var http = stack.Http();
        var response = await http.PostAsJsonAsync("api/dev/token", new { user_id = 1, username = "client1", role = "client" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_deep_link_loads_the_app_with_a_content_security_policy_and_its_assets_are_served()
    {
        using var http = stack.Http();
        var page = await http.GetAsync("app/threads/42");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoCache);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);

        var script = await http.GetAsync(ScriptPath().Match(html).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("app/assets/missing-0000.js")).StatusCode);
    }

    [Fact]
    public async Task The_app_path_without_a_slash_redirects_to_the_app()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.FrontUri };
        var response = await http.GetAsync("app");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/app/", response.Headers.Location?.OriginalString);
    }
}
