using System.Text.RegularExpressions;

namespace OrleansChat.WebClient.Tests;

/// <summary>The search box of the web client (spec §8) in headless Chromium: results, and opening a hit in its thread.</summary>
[Collection(BrowserStack.Collection)]
public sealed partial class MessageSearchTests(BrowserStack browsers) : IAsyncLifetime
{
    private readonly ConversationApi _api = new(browsers.Stack);
    private readonly BrowserPages _pages = new(browsers);

    [GeneratedRegex(@"\bhighlight\b")]
    private static partial Regex Highlighted();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _pages.DisposeAsync().AsTask();

    [Fact]
    public async Task A_search_lists_the_callers_hits_and_a_hit_opens_its_thread_at_the_message_loading_older_pages()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var designer = await _api.FreelancerAsync("carol.design", "Product Designer");
        var threadId = await _api.ThreadAsync(client, freelancer, job: 12);
        var otherThread = await _api.ThreadAsync(client, designer, job: 7);

        // The hit is the thread's 2nd message, 130 messages (three pages) below the newest.
        await _api.SendAsync(client, threadId, "Welcome aboard! Everything we need is in the brief.");
        var invoice = await _api.SendAsync(freelancer, threadId, "Here is invoice QX4471 for the wireframes, due in 14 days.");
        for (var i = 1; i <= 130; i++)
        {
            await _api.SendAsync(i % 2 == 0 ? client : freelancer, threadId, $"Progress note {i}");
        }
        await _api.SendAsync(designer, otherThread, "No invoice yet for the logo: I will send it with the last mockups.");
        // Someone else's thread mentions an invoice too; it is never found by this client.
        var stranger = await _api.ClientAsync("dave.other");
        await _api.SendAsync(freelancer, await _api.ThreadAsync(stranger, freelancer), "Invoice QX9999 is paid, thank you.");

        var c = await _pages.OpenAsync(client, "app/");
        await Expect(c.Thread(threadId)).ToHaveCountAsync(1);
        await c.SearchBox.FillAsync("invoice");
        await Expect(c.SearchHits).ToHaveCountAsync(2);
        await Expect(c.Page.Locator(".thread-list")).ToBeHiddenAsync();

        // Newest first: sender, thread, the snippet with the word marked, the time.
        var newest = c.SearchHits.Nth(0);
        await Expect(newest).ToHaveAttributeAsync("data-thread-id", ConversationApi.Id(otherThread));
        await Expect(newest.Locator(".hit-sender")).ToHaveTextAsync("carol.design");
        var hit = c.SearchHits.Nth(1);
        await Expect(hit).ToHaveAttributeAsync("data-seq", ConversationApi.Id(invoice.Seq));
        await Expect(hit.Locator(".hit-sender")).ToHaveTextAsync("bob.dev");
        await Expect(hit.Locator(".hit-thread")).ToHaveTextAsync("bob.dev · Job #12");
        await Expect(hit.Locator(".hit-snippet")).ToHaveTextAsync("Here is invoice QX4471 for the wireframes, due in 14 days.");
        await Expect(hit.Locator(".hit-snippet mark")).ToHaveTextAsync("invoice");
        await Expect(hit.Locator("time")).Not.ToBeEmptyAsync();

        // Two words, the last as a prefix, narrow it to one hit.
        await c.SearchBox.FillAsync("invoice qx44");
        await Expect(c.SearchHits).ToHaveCountAsync(1);
        await Expect(c.SearchHits.Nth(0).Locator(".hit-snippet mark")).ToHaveTextAsync(["invoice", "QX44"]);

        // Opening the hit loads the older pages down to it, scrolls to it and highlights it.
        await c.SearchHits.Nth(0).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(c.Page).ToHaveURLAsync(new Regex($"/app/threads/{threadId}$"));
        var target = c.Message(invoice.Seq);
        await Expect(target).ToHaveClassAsync(Highlighted());
        await Expect(target).ToBeInViewportAsync();
        await Expect(c.Message(1)).ToHaveCountAsync(1);
        Assert.Equal(Enumerable.Range(1, 132).Select(s => (long)s).ToArray(), await c.ShownSeqsAsync());
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("search-desktop.png") });

        // No match says so; Escape clears the box and brings the threads back.
        await c.SearchBox.FillAsync("zebracrossing");
        await Expect(c.Page.Locator(".search-status")).ToHaveTextAsync("No messages match “zebracrossing”.");
        await c.SearchBox.PressAsync("Escape");
        await Expect(c.SearchBox).ToHaveValueAsync("");
        await Expect(c.Page.Locator(".thread-list")).ToBeVisibleAsync();
    }
}
