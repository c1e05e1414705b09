namespace OrleansChat.WebClient.Tests;

/// <summary>The browser test classes share one stack (a silo and a front) and one Chromium, one class at a time.</summary>
[CollectionDefinition(BrowserStack.Collection)]
public sealed class BrowserStackCollection : ICollectionFixture<BrowserStack>;

/// <summary>
/// One stack and one Chromium shared by the browser test classes; each test opens its own browser contexts (separate
/// session storage, so separate users) and makes its own users and threads, so tests never see each other's data.
/// </summary>
public sealed class BrowserStack : IAsyncLifetime
{
    public const string Collection = "Browser stack";

    private IPlaywright _playwright = null!;

    public ChatStack Stack { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The 2-core CI machine runs other test projects at the same time: waits are generous, never fixed sleeps.
        SetDefaultExpectTimeout(30_000);
        await Stack.InitializeAsync();
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        await Stack.DisposeAsync();
    }
}
