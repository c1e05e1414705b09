using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrleansChat.WebClient.Tests;

/// <summary>
/// Spec §8's presence in the web client, in headless Chromium: the thread list's online dot and the conversation
/// header's "online" / "last seen …" follow the other participant's page opening and closing, through the hub's
/// debounced <c>presence</c> events, and a page opened later reads the same state from the list and the GET.
/// </summary>
[Collection(BrowserStack.Collection)]
public sealed partial class PresenceUiTests(BrowserStack browsers, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The event waits until a change has lasted 5 s (spec §8); the rest is the close handshake and a busy machine.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(5);
    private static readonly float Deadline = (float)(Debounce + TimeSpan.FromSeconds(10)).TotalMilliseconds;

    private readonly ConversationApi _api = new(browsers.Stack);
    private readonly BrowserPages _pages = new(browsers);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _pages.DisposeAsync().AsTask();

    [Fact]
    public async Task The_other_participant_shows_online_while_their_page_is_open_and_last_seen_once_it_closes()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var designer = await _api.FreelancerAsync("carol.design", "Product Designer");
        var designerThread = await _api.ThreadAsync(client, designer, job: 7);
        await _api.SendAsync(designer, designerThread, "The mockups are in the shared folder.");
        var threadId = await _api.ThreadAsync(client, freelancer, job: 12);
        await _api.SendAsync(freelancer, threadId, "I can start on the landing page tomorrow.");
        await _api.SendAsync(client, threadId, "Great, the brief is attached to the job.");

        // Nobody but the client has the app open: both dots say offline, and the header too (never connected).
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("aria-label", $"{freelancer.Username} is offline");
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("title", $"{freelancer.Username} is offline");
        await Expect(c.PresenceDot(designerThread)).ToHaveAttributeAsync("aria-label", $"{designer.Username} is offline");
        await Expect(c.HeaderPresence).ToHaveTextAsync("offline");

        // The freelancer opens the app: the client's dot and header turn online, live (the event, after the debounce).
        var opening = Stopwatch.StartNew();
        var f = await _pages.OpenAsync(freelancer, "app/", phone: true);
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("data-online", "true", new() { Timeout = Deadline });
        await Expect(c.HeaderPresence).ToHaveTextAsync("online", new() { Timeout = Deadline });
        var cameOnline = opening.Elapsed;
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("aria-label", $"{freelancer.Username} is online");
        await Expect(c.PresenceDot(designerThread)).ToHaveAttributeAsync("data-online", "false");
        // The freelancer's own list shows the client online (other_online read when the list loaded).
        await Expect(f.PresenceDot(threadId)).ToHaveAttributeAsync("aria-label", $"{client.Username} is online");
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("presence-desktop.png") });

        // A page opened now reads the state at once: other_online in the list, the GET in the header.
        var late = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        await Expect(late.PresenceDot(threadId)).ToHaveAttributeAsync("data-online", "true");
        await Expect(late.HeaderPresence).ToHaveTextAsync("online");
        await _pages.CloseAsync(late);

        // The freelancer closes the app: within the debounce (plus slack) the client sees offline and "last seen".
        var closing = Stopwatch.StartNew();
        await _pages.CloseAsync(f);
        await Expect(c.HeaderPresence).ToHaveTextAsync(LastSeenRecently(), new() { Timeout = Deadline });
        var wentOffline = closing.Elapsed;
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("aria-label", $"{freelancer.Username} is offline");
        await Expect(c.PresenceDot(threadId)).ToHaveAttributeAsync("data-online", "false");
        await Expect(c.HeaderPresence).ToHaveAttributeAsync("data-online", "false");
        output.WriteLine($"online shown {cameOnline.TotalSeconds:F1} s after the page opened, offline {wentOffline.TotalSeconds:F1} s after it closed");
        // The change is announced only once it has lasted the debounce: the page did not learn it some other way.
        Assert.True(wentOffline >= Debounce - TimeSpan.FromSeconds(0.5), $"offline shown {wentOffline} after the close; the event waits 5 s");

        // The header's time is the server's last_seen_at.
        var presence = await _api.PresenceAsync(client, freelancer);
        Assert.False(presence.GetProperty("online").GetBoolean());
        await Expect(c.HeaderPresence.Locator("time")).ToHaveAttributeAsync("datetime", presence.GetProperty("last_seen_at").GetString()!);
    }

    [GeneratedRegex("^last seen (just now|1 min ago)$")]
    private static partial Regex LastSeenRecently();
}
