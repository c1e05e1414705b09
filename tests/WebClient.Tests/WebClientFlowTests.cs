using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansChat.WebClient.Tests;

/// <summary>
/// The issue's end-to-end flow in headless Chromium: a client (desktop, dev sign-in form) and a freelancer (375 px
/// phone, ?token= link) chat through the real stack, and a WebFront restart in the middle loses nothing.
/// </summary>
public sealed partial class WebClientFlowTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private const string Xss = "<img src=x onerror=alert(1)>";

    // Two fronts: the browsers use the first; while it is down, the users' other devices write through the second.
    private readonly ChatStack _stack = new() { InitialFronts = 2, Environment = "Development" };
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [GeneratedRegex(@"/app/threads/(\d+)$")]
    private static partial Regex ThreadPath();

    public async Task InitializeAsync()
    {
        // The 2-core CI machine runs other test projects at the same time: waits are generous, never fixed sleeps.
        SetDefaultExpectTimeout(30_000);
        await _stack.InitializeAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task Client_and_freelancer_chat_in_two_browsers_and_miss_nothing_across_a_front_restart()
    {
        var front = _stack.FrontUris[0];
        // Each test class has its own database, so readable names cannot collide (they show in the screenshots).
        var freelancer = NamedUser("bob.dev", "freelancer", new() { ["title"] = "Web Developer", ["rate"] = "50.00" });
        var clientId = Random.Shared.NextInt64(1, 1L << 40);
        var clientName = "alice.acme";
        var clientToken = _stack.Tokens.Mint(clientId, clientName, "client", extra: new Dictionary<string, object> { ["company_name"] = "Acme Studio" });

        // The freelancer opens a link with a token on a phone; the token leaves the address bar.
        Step("freelancer signs in by link");
        await using var freelancerContext = await _browser.NewContextAsync(new() { BaseURL = front.ToString(), ViewportSize = new() { Width = 375, Height = 740 } });
        var f = new ChatPage(await freelancerContext.NewPageAsync());
        var dialogs = new List<string>();
        f.Page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        await f.Page.GotoAsync($"app/?token={freelancer.Token}");
        await f.ExpectConnectedAsync();
        Assert.DoesNotContain("token=", f.Page.Url, StringComparison.Ordinal);

        // The client signs in with the Development form on a desktop.
        Step("client signs in with the dev form");
        await using var clientContext = await _browser.NewContextAsync(new() { BaseURL = front.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
        var c = new ChatPage(await clientContext.NewPageAsync());
        c.Page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        await c.Page.GotoAsync("app/");
        await c.Page.GetByLabel("User id", new() { Exact = true }).FillAsync(clientId.ToString(CultureInfo.InvariantCulture));
        await c.Page.GetByLabel("Username").FillAsync(clientName);
        await c.Page.GetByLabel("Role").SelectOptionAsync("client");
        await c.Page.GetByLabel("Company name").FillAsync("Acme Studio");
        await c.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await c.ExpectConnectedAsync();

        // Another freelancer already wrote to the client: the list shows that thread live, with its unread badge.
        Step("second thread in the client's list");
        var (designer, other) = await OtherThreadAsync(clientId, clientToken);
        await Expect(c.Thread(other).Locator(".badge")).ToHaveTextAsync("1");
        await Expect(c.Thread(other)).ToContainTextAsync("Job #7");

        // The client starts a thread with the freelancer's id and writes first.
        Step("client starts a thread");
        await c.Page.GetByLabel("User id of the freelancer").FillAsync(freelancer.Id.ToString(CultureInfo.InvariantCulture));
        await c.Page.GetByRole(AriaRole.Button, new() { Name = "Start thread" }).ClickAsync();
        await Expect(c.Page).ToHaveURLAsync(ThreadPath());
        var threadId = long.Parse(ThreadPath().Match(c.Page.Url).Groups[1].Value, CultureInfo.InvariantCulture);
        await Expect(c.Page.Locator(".conversation-title")).ToContainTextAsync("Web Developer · $50.00/h");
        await c.SendAsync("Hello freelancer!");
        var hello = c.MessageWithText("Hello freelancer!");
        await Expect(hello.Locator(".receipt")).ToHaveTextAsync("✓ Sent");

        // The freelancer's list gets the thread with an unread badge; opening it reads the message: the receipt flips.
        Step("freelancer opens the thread");
        await Expect(f.Thread(threadId).Locator(".badge")).ToHaveTextAsync("1");
        await Expect(f.Thread(threadId)).ToContainTextAsync("Acme Studio");
        await f.Page.ScreenshotAsync(new() { Path = Screenshots.Path("threads-375.png") });
        await f.Thread(threadId).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(f.MessageWithText("Hello freelancer!")).ToHaveCountAsync(1);
        await Expect(hello.Locator(".receipt")).ToHaveTextAsync("✓✓ Read");
        await Expect(f.Thread(threadId).Locator(".badge")).ToHaveCountAsync(0);

        // Typing shows on the other side and clears when the message arrives.
        Step("typing indicator");
        await f.Composer.PressSequentiallyAsync("Hi! Happy to help");
        await Expect(c.Typing).ToHaveTextAsync($"{freelancer.Username} is typing…");
        await f.SendAsync(", what do you need?");
        await Expect(c.MessageWithText("Hi! Happy to help, what do you need?")).ToHaveCountAsync(1);
        await Expect(c.Typing).ToHaveTextAsync("");
        var reply = f.MessageWithText("Hi! Happy to help, what do you need?");
        await Expect(reply.Locator(".receipt")).ToHaveTextAsync("✓✓ Read");

        // Markup in a message is text: shown verbatim, no element created, no script run.
        Step("markup stays text");
        await c.SendAsync(Xss);
        var xss = f.MessageWithText(Xss);
        await Expect(xss).ToHaveCountAsync(1);
        Assert.Equal(Xss, await xss.Locator(".msg-text").TextContentAsync());
        Assert.Equal(0, await f.Page.Locator(".conversation img").CountAsync());
        Assert.Equal(0, await c.Page.Locator(".conversation img").CountAsync());

        // Edit with Enter; a second edit is cancelled with Escape; delete leaves a tombstone on both sides.
        Step("edit and delete");
        var helloSeq = await c.SeqOfAsync("Hello freelancer!");
        await c.Page.GetByRole(AriaRole.Button, new() { Name = $"Edit message {helloSeq}" }).ClickAsync();
        var editor = c.Page.GetByLabel("Edit message", new() { Exact = true });
        await editor.FillAsync("Hello freelancer! Do you have time this week?");
        await editor.PressAsync("Enter");
        await Expect(f.Message(helloSeq).Locator(".msg-text")).ToHaveTextAsync("Hello freelancer! Do you have time this week?");
        await Expect(f.Message(helloSeq).Locator(".msg-edited")).ToHaveTextAsync("(edited)");
        await Expect(c.Message(helloSeq).Locator(".receipt")).ToHaveTextAsync("✓✓ Read");
        await c.Page.GetByRole(AriaRole.Button, new() { Name = $"Edit message {helloSeq}" }).ClickAsync();
        await editor.FillAsync("never saved");
        await editor.PressAsync("Escape");
        await Expect(editor).ToHaveCountAsync(0);
        await Expect(c.Message(helloSeq).Locator(".msg-text")).ToHaveTextAsync("Hello freelancer! Do you have time this week?");

        var xssSeq = await c.SeqOfAsync(Xss);
        await c.Page.GetByRole(AriaRole.Button, new() { Name = $"Delete message {xssSeq}" }).ClickAsync();
        await Expect(f.Message(xssSeq).Locator(".msg-tombstone")).ToHaveTextAsync("This message was deleted.");
        await Expect(c.Message(xssSeq).Locator(".msg-tombstone")).ToHaveTextAsync("This message was deleted.");

        // Only the client can pay; the freelancer sees the payment with amount and status.
        Step("payment");
        await Expect(f.Page.GetByRole(AriaRole.Button, new() { Name = "Initiate payment" })).ToHaveCountAsync(0);
        await c.Page.GetByRole(AriaRole.Button, new() { Name = "Initiate payment" }).ClickAsync();
        await c.Page.GetByLabel("Amount").FillAsync("120.50");
        await c.Page.GetByLabel("Description (optional)").FillAsync("Milestone 1: wireframes");
        await c.Page.GetByRole(AriaRole.Button, new() { Name = "Send payment" }).ClickAsync();
        var payment = f.Messages.And(f.Page.Locator("[data-type=\"payment\"]"));
        await Expect(payment.Locator(".card-amount")).ToHaveTextAsync("120.50 USD");
        await Expect(payment.Locator(".card-status")).ToHaveTextAsync("initiated");
        await Expect(payment.Locator(".card-detail")).ToHaveTextAsync("Milestone 1: wireframes");

        // The freelancer posts a job update from the toolbar.
        Step("job update");
        await f.Page.GetByRole(AriaRole.Button, new() { Name = "Job update" }).ClickAsync();
        await f.Page.GetByLabel("Job status").SelectOptionAsync("in_progress");
        await f.Page.GetByLabel("Note (optional)").FillAsync("Wireframes started");
        await f.Page.GetByRole(AriaRole.Button, new() { Name = "Post job update" }).ClickAsync();
        await Expect(c.Messages.And(c.Page.Locator("[data-type=\"job_update\"]")).Locator(".card-status")).ToHaveTextAsync("in progress");
        await Expect(c.Messages.And(c.Page.Locator("[data-type=\"payment\"]")).Locator(".receipt")).ToHaveTextAsync("✓✓ Read");
        await Expect(c.Thread(threadId).Locator(".badge")).ToHaveCountAsync(0);
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("conversation-desktop.png") });
        await f.Page.ScreenshotAsync(new() { Path = Screenshots.Path("conversation-375.png") });

        // The front both browsers use goes down; meanwhile both users write from their other devices (front 2).
        Step("front restart");
        await _stack.StopFrontAsync(0);
        await Expect(c.Connection).Not.ToHaveTextAsync("Connected");
        await Expect(f.Connection).Not.ToHaveTextAsync("Connected");
        await SendThroughAsync(_stack.FrontUris[1], clientToken, threadId, "Written while the front was down (client)");
        await SendThroughAsync(_stack.FrontUris[1], freelancer.Token, threadId, "Written while the front was down (freelancer)");
        await _stack.RestartFrontAsync(0);
        Step("front restarted");

        // Reconnect + catch-up from the last seen seq: each missed message exactly once, no seq missing.
        Step("catch-up");
        await c.ExpectConnectedAsync();
        await f.ExpectConnectedAsync();
        foreach (var page in new[] { c, f })
        {
            await Expect(page.MessageWithText("Written while the front was down (client)")).ToHaveCountAsync(1);
            await Expect(page.MessageWithText("Written while the front was down (freelancer)")).ToHaveCountAsync(1);
        }
        await f.SendAsync("Back online, all messages are here.");
        await Expect(c.MessageWithText("Back online, all messages are here.")).ToHaveCountAsync(1);
        await Expect(c.Thread(threadId).Locator(".badge")).ToHaveCountAsync(0);
        var lastSeq = await LastSeqAsync(clientToken, threadId);
        var all = Enumerable.Range(1, (int)lastSeq).Select(s => (long)s).ToArray();
        await Expect(c.Message(lastSeq)).ToHaveCountAsync(1);
        await Expect(f.Message(lastSeq)).ToHaveCountAsync(1);
        Assert.Equal(all, await c.ShownSeqsAsync());
        Assert.Equal(all, await f.ShownSeqsAsync());
        Assert.Empty(dialogs);

        // A reload keeps the session (session storage) and lists both threads, newest first.
        Step("reload");
        await c.Page.GotoAsync("app/");
        await c.ExpectConnectedAsync();
        await Expect(c.Page.Locator(".thread")).ToHaveCountAsync(2);
        await Expect(c.Page.Locator(".thread").First).ToHaveAttributeAsync("data-thread-id", threadId.ToString(CultureInfo.InvariantCulture));
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("threads-desktop.png") });

        // A long history opens at its newest page; scrolling up loads the older ones.
        Step("history paging");
        for (var i = 1; i <= 60; i++)
        {
            await ChatApi.SendAsync(_stack, designer, other, $"Mockup note {i}");
        }
        await c.Thread(other).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(c.MessageWithText("Mockup note 60")).ToHaveCountAsync(1);
        await Expect(c.Message(1)).ToHaveCountAsync(0);
        await c.Page.Locator(".messages").EvaluateAsync("scroller => scroller.scrollTop = 0");
        await Expect(c.Message(1)).ToHaveCountAsync(1);
        Assert.Equal(Enumerable.Range(1, 61).Select(s => (long)s).ToArray(), await c.ShownSeqsAsync());
        Step("done");
    }

    /// <summary>A second thread for the client (job 7) in which another freelancer has written once.</summary>
    private async Task<(TestUser Designer, long ThreadId)> OtherThreadAsync(long clientId, string clientToken)
    {
        var designer = NamedUser("carol.design", "freelancer", new() { ["title"] = "Product Designer", ["rate"] = "65.00" });
        await ChatApi.SignInAsync(_stack, designer);
        using var http = _stack.Http(clientToken);
        var created = await http.PostAsJsonAsync("api/chat/threads/", new { client = clientId, freelancer = designer.Id, job = 7 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var threadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await ChatApi.SendAsync(_stack, designer, threadId, "I sent the first mockups for the landing page.");
        return (designer, threadId);
    }

    /// <summary>Elapsed time per step in the test output: on a slow CI machine it shows which wait took long.</summary>
    private void Step(string name) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0}s {name}");

    private TestUser NamedUser(string username, string role, Dictionary<string, object> profile)
    {
        var id = Random.Shared.NextInt64(1, 1L << 40);
        return new TestUser(id, username, role, _stack.Tokens.Mint(id, username, role, extra: profile));
    }

    private async Task SendThroughAsync(Uri front, string token, long threadId, string text)
    {
        using var http = _stack.Http(token, front);
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", new { message = text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<long> LastSeqAsync(string token, long threadId)
    {
        using var http = _stack.Http(token, _stack.FrontUris[1]);
        var thread = await http.GetFromJsonAsync<JsonElement>($"api/chat/threads/{threadId}/");
        return thread.GetProperty("last_seq").GetInt64();
    }
}
