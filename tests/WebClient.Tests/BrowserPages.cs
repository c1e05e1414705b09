namespace OrleansChat.WebClient.Tests;

/// <summary>The browser contexts of one test (one per user: each has its own session storage), closed after it.</summary>
internal sealed class BrowserPages(BrowserStack browsers) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>Opens <paramref name="path"/> signed in as <paramref name="user"/> (token link) on a desktop or a 375 px phone.</summary>
    public async Task<ChatPage> OpenAsync(TestUser user, string path, bool phone = false)
    {
        var context = await browsers.Browser.NewContextAsync(new()
        {
            BaseURL = browsers.Stack.FrontUri.ToString(),
            ViewportSize = phone ? new() { Width = 375, Height = 740 } : new() { Width = 1280, Height = 800 },
        });
        _contexts.Add(context);
        var page = new ChatPage(await context.NewPageAsync());
        await page.Page.GotoAsync($"{path}?token={user.Token}");
        await page.ExpectConnectedAsync();
        return page;
    }

    /// <summary>Closes one user's browser (its hub connection closes with it), as a person closing the tab would.</summary>
    public async Task CloseAsync(ChatPage page)
    {
        _contexts.Remove(page.Page.Context);
        await page.Page.Context.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }
}
