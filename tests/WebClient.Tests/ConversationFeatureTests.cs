namespace OrleansChat.WebClient.Tests;

/// <summary>
/// Spec §7's conversation features in the web client, in headless Chromium: reply, react (and see the other side's
/// reaction arrive live), read an edit history, pin threads. Each test has its own users and threads on a shared stack.
/// </summary>
[Collection(BrowserStack.Collection)]
public sealed class ConversationFeatureTests(BrowserStack browsers) : IAsyncLifetime
{
    private readonly ConversationApi _api = new(browsers.Stack);
    private readonly BrowserPages _pages = new(browsers);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _pages.DisposeAsync().AsTask();

    [Fact]
    public async Task A_reply_shows_its_quote_above_the_composer_and_in_the_message_and_the_quote_follows_the_parent()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var threadId = await _api.ThreadAsync(client, freelancer);
        var question = await _api.SendAsync(freelancer, threadId, "Can you share the budget for the landing page?");
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        var f = await _pages.OpenAsync(freelancer, $"app/threads/{threadId}", phone: true);
        await Expect(c.MessageWithText("Can you share the budget")).ToHaveCountAsync(1);

        // The quote shows above the composer; × cancels it; Reply again and send.
        await c.Button($"Reply to message {question.Seq}").ClickAsync();
        await Expect(c.ReplyBar).ToBeVisibleAsync();
        await Expect(c.ReplyBar.Locator(".quote-sender")).ToHaveTextAsync(freelancer.Username);
        await Expect(c.ReplyBar.Locator(".quote-text")).ToHaveTextAsync("Can you share the budget for the landing page?");
        await c.Button("Cancel reply").ClickAsync();
        await Expect(c.ReplyBar).ToBeHiddenAsync();
        await c.Button($"Reply to message {question.Seq}").ClickAsync();
        await c.SendAsync("About 2,000 USD, in two milestones.");
        await Expect(c.ReplyBar).ToBeHiddenAsync();

        // Both sides show the quote inside the reply; the server stored it as a reply to that message.
        foreach (var page in new[] { c, f })
        {
            var reply = page.MessageWithText("About 2,000 USD");
            await Expect(reply.Locator(".quote .quote-sender")).ToHaveTextAsync(freelancer.Username);
            await Expect(reply.Locator(".quote .quote-text")).ToHaveTextAsync("Can you share the budget for the landing page?");
        }
        var replyId = long.Parse(await c.MessageWithText("About 2,000 USD").GetAttributeAsync("data-id") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(question.Id, (await _api.MessageAsync(client, replyId)).GetProperty("reply_to").GetProperty("id").GetInt64());

        // The parent is edited, then deleted, in the freelancer's browser: the client's quote follows live.
        await f.Button($"Edit message {question.Seq}").ClickAsync();
        var editor = f.Page.GetByLabel("Edit message", new() { Exact = true });
        await editor.FillAsync("Can you share the budget <b>and</b> the deadline?");
        await editor.PressAsync("Enter");
        var quoted = c.MessageWithText("About 2,000 USD").Locator(".quote .quote-text");
        await Expect(quoted).ToHaveTextAsync("Can you share the budget <b>and</b> the deadline?");
        Assert.Equal(0, await c.Page.Locator(".conversation b").CountAsync()); // markup in a quote stays text
        await f.Button($"Delete message {question.Seq}").ClickAsync();
        await Expect(quoted).ToHaveTextAsync("Deleted message");
        await Expect(f.MessageWithText("About 2,000 USD").Locator(".quote .quote-text")).ToHaveTextAsync("Deleted message");

        // Clicking a quote shows (and highlights) the message it quotes.
        await c.MessageWithText("About 2,000 USD").Locator(".quote").ClickAsync();
        await Expect(c.Message(question.Seq)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bhighlight\b"));
    }

    [Fact]
    public async Task Reactions_show_counts_highlight_the_own_toggle_and_arrive_live_from_the_other_side()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var designer = await _api.FreelancerAsync("carol.design", "Product Designer");
        var threadId = await _api.ThreadAsync(client, freelancer, job: 12);
        var otherThread = await _api.ThreadAsync(client, designer, job: 7);
        await _api.SendAsync(designer, otherThread, "I sent the first mockups for the landing page.");
        var draft = await _api.SendAsync(freelancer, threadId, "I've pushed the first draft of the landing page.");
        await _api.SendAsync(client, threadId, "Looks great! Could the header be a little darker?", replyTo: draft.Id);
        var done = await _api.SendAsync(freelancer, threadId, "Done: darker header, same contrast ratio.");
        await _api.PinAsync(client, threadId);
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        var f = await _pages.OpenAsync(freelancer, $"app/threads/{threadId}", phone: true);
        await Expect(c.Message(done.Seq)).ToHaveCountAsync(1);
        await Expect(f.Message(done.Seq)).ToHaveCountAsync(1);

        // The client picks 👍: a chip with 1, pressed (own); the freelancer's page gets it live, not pressed.
        await c.Button($"React to message {done.Seq}").ClickAsync();
        await c.Button("React with 👍").ClickAsync();
        await Expect(c.Page.Locator(".reaction-picker")).ToHaveCountAsync(0);
        await ExpectChipAsync(c, done.Seq, "👍", 1, own: true);
        await ExpectChipAsync(f, done.Seq, "👍", 1, own: false);

        // The freelancer joins with a click on the chip and adds ❤️ from the picker: the client sees both live.
        await f.Reaction(done.Seq, "👍").ClickAsync();
        await ExpectChipAsync(f, done.Seq, "👍", 2, own: true);
        await ExpectChipAsync(c, done.Seq, "👍", 2, own: true);
        await f.Button($"React to message {done.Seq}").ClickAsync();
        await f.Button("React with ❤️").ClickAsync();
        await ExpectChipAsync(c, done.Seq, "❤️", 1, own: false);

        // A click on the own chip removes the own reaction; another adds it back.
        await c.Reaction(done.Seq, "👍").ClickAsync();
        await ExpectChipAsync(c, done.Seq, "👍", 1, own: false);
        await ExpectChipAsync(f, done.Seq, "👍", 1, own: true);
        await c.Reaction(done.Seq, "👍").ClickAsync();
        await ExpectChipAsync(f, done.Seq, "👍", 2, own: true);
        await ExpectChipAsync(c, done.Seq, "👍", 2, own: true);
        await c.Button($"React to message {draft.Seq}").ClickAsync();
        await c.Button("React with 🙏").ClickAsync();
        await ExpectChipAsync(f, draft.Seq, "🙏", 1, own: false);

        // What the pages show is what the server stored, in first-use order.
        var reactions = (await _api.MessageAsync(client, done.Id)).GetProperty("reactions").EnumerateArray()
            .Select(r => (r.GetProperty("emoji").GetString(), r.GetProperty("count").GetInt32(), r.GetProperty("me").GetBoolean())).ToArray();
        Assert.Equal(new (string?, int, bool)[] { ("👍", 2, true), ("❤️", 1, false) }, reactions);
        await Expect(c.MessageWithText("Looks great!").Locator(".quote .quote-text")).ToHaveTextAsync("I've pushed the first draft of the landing page.");
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("reply-reactions-desktop.png") });
        await f.Button($"React to message {draft.Seq}").ClickAsync();
        await Expect(f.Message(draft.Seq).Locator(".reaction-picker")).ToBeVisibleAsync();
        await f.Page.ScreenshotAsync(new() { Path = Screenshots.Path("reactions-375.png") });
    }

    [Fact]
    public async Task The_picker_and_chips_keep_to_20_emoji_per_message_and_10_per_user()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var threadId = await _api.ThreadAsync(client, freelancer);
        var message = await _api.SendAsync(freelancer, threadId, "Which of these logos do you like?");
        string[] clients = ["👍", "❤️", "😂", "😮", "🎉", "🔥", "👀", "✅", "🌟", "🍀"];
        string[] freelancers = ["🚀", "💯", "👏", "🤔", "😍", "🙌", "⭐", "💡", "📌", "🎯"];
        foreach (var emoji in clients)
        {
            await _api.ReactAsync(client, message.Id, emoji);
        }
        foreach (var emoji in freelancers)
        {
            await _api.ReactAsync(freelancer, message.Id, emoji);
        }
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        await Expect(c.Message(message.Seq).Locator(".reaction")).ToHaveCountAsync(20);

        // 10 own and 20 on the message: only the own ones can be clicked (to remove them).
        await Expect(c.Reaction(message.Seq, "🚀")).ToBeDisabledAsync();
        await Expect(c.Reaction(message.Seq, "🎉")).ToBeEnabledAsync();
        await c.Button($"React to message {message.Seq}").ClickAsync();
        await Expect(c.Button("React with 👍")).ToBeEnabledAsync();
        await Expect(c.Button("React with 😢")).ToBeDisabledAsync();

        // One removed: 9 own, 19 emoji: a new one may be added again, and it is.
        await c.Reaction(message.Seq, "🎉").ClickAsync();
        await Expect(c.Reaction(message.Seq, "🎉")).ToHaveCountAsync(0);
        await Expect(c.Reaction(message.Seq, "🚀")).ToBeEnabledAsync();
        await c.Button("React with 😢").ClickAsync(); // the picker stays open while the chips change
        await ExpectChipAsync(c, message.Seq, "😢", 1, own: true);
        await Expect(c.Page.Locator(".conversation > .form-error")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task The_edited_marker_opens_the_history_of_every_version_on_both_sides()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var threadId = await _api.ThreadAsync(client, freelancer, job: 31);
        await _api.SendAsync(freelancer, threadId, "Could you send the final quote?");
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        var f = await _pages.OpenAsync(freelancer, $"app/threads/{threadId}", phone: true);
        await c.SendAsync("The total is 1,800 USD.");
        var seq = await c.SeqOfAsync("The total is 1,800 USD.");

        foreach (var text in new[] { "The total is 2,000 USD.", "The total is 2,100 USD, taxes included." })
        {
            await c.Button($"Edit message {seq}").ClickAsync();
            var editor = c.Page.GetByLabel("Edit message", new() { Exact = true });
            await editor.FillAsync(text);
            await editor.PressAsync("Enter");
            await Expect(f.Message(seq).Locator(".msg-text")).ToHaveTextAsync(text);
        }

        string[] versions = ["The total is 1,800 USD.", "The total is 2,000 USD.", "The total is 2,100 USD, taxes included."];
        await Expect(c.Message(seq).Locator(".msg-edited")).ToHaveTextAsync("(edited)");
        await c.Button($"Edit history of message {seq}").ClickAsync();
        await Expect(c.HistoryDialog).ToBeVisibleAsync();
        await Expect(c.HistoryDialog.Locator(".version-text")).ToHaveTextAsync(versions);
        await Expect(c.HistoryDialog.Locator(".version-head strong")).ToHaveTextAsync(["Sent", "Edit 1", "Current"]);
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("history-desktop.png") });
        await c.Page.Keyboard.PressAsync("Escape");
        await Expect(c.HistoryDialog).ToHaveCountAsync(0);

        // The other participant reads the same history; its Close button closes it.
        await f.Button($"Edit history of message {seq}").ClickAsync();
        await Expect(f.HistoryDialog.Locator(".version-text")).ToHaveTextAsync(versions);
        await f.HistoryDialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(f.HistoryDialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Pinning_moves_a_thread_first_for_the_pinning_user_only_and_a_21st_pin_is_refused_readably()
    {
        var client = await _api.ClientAsync();
        var others = new List<TestUser>();
        var threads = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            var freelancer = await _api.FreelancerAsync($"dev{i}");
            others.Add(freelancer);
            threads.Add(await _api.ThreadAsync(client, freelancer));
            await _api.SendAsync(freelancer, threads[^1], $"Hello from dev{i}");
        }
        var (t1, t2, t3) = (threads[0], threads[1], threads[2]);
        var c = await _pages.OpenAsync(client, "app/");
        await c.ExpectThreadOrderAsync(t3, t2, t1);

        // Pinned threads come first, the newest pin first, with a marker.
        await c.Thread(t1).GetByRole(AriaRole.Button, new() { Name = "Pin thread with dev1", Exact = true }).ClickAsync();
        await c.ExpectThreadOrderAsync(t1, t3, t2);
        await Expect(c.Thread(t1)).ToHaveAttributeAsync("data-pinned", "true");
        await Expect(c.Thread(t1).Locator(".pin-marker")).ToBeVisibleAsync();
        await c.Thread(t2).GetByRole(AriaRole.Button, new() { Name = "Pin thread with dev2", Exact = true }).ClickAsync();
        await c.ExpectThreadOrderAsync(t2, t1, t3);

        // New activity in an unpinned thread does not pass the pins; the list after a reload is the server's, the same.
        await _api.SendAsync(others[2], t3, "Any news?");
        await Expect(c.Thread(t3)).ToContainTextAsync("Any news?");
        await c.ExpectThreadOrderAsync(t2, t1, t3);
        await c.Page.ReloadAsync();
        await c.ExpectConnectedAsync();
        await c.ExpectThreadOrderAsync(t2, t1, t3);
        Assert.False(await _api.IsPinnedAsync(others[0], t1)); // the other participant's pin is their own

        // 18 more pins through the API make 20; a 21st in the browser is refused with a readable message.
        for (var i = 4; i <= 21; i++)
        {
            var freelancer = await _api.FreelancerAsync($"dev{i}");
            var thread = await _api.ThreadAsync(client, freelancer);
            await _api.PinAsync(client, thread);
        }
        await c.Page.ReloadAsync();
        await c.ExpectConnectedAsync();
        await Expect(c.Page.Locator(".thread[data-pinned=\"true\"]")).ToHaveCountAsync(20);
        await c.Thread(t3).GetByRole(AriaRole.Button, new() { Name = "Pin thread with dev3", Exact = true }).ClickAsync();
        await Expect(c.Page.Locator(".threads .pin-error")).ToHaveTextAsync("You can pin at most 20 threads. Unpin one to pin this one.");
        await Expect(c.Thread(t3)).ToHaveAttributeAsync("data-pinned", "false");
        Assert.False(await _api.IsPinnedAsync(client, t3));

        // Unpinning puts the thread back among the unpinned, by activity (t3's message is newer than t1's).
        await c.Thread(t1).GetByRole(AriaRole.Button, new() { Name = "Unpin thread with dev1", Exact = true }).ClickAsync();
        await Expect(c.Thread(t1)).ToHaveAttributeAsync("data-pinned", "false");
        await Expect(c.Page.Locator(".thread").Nth(19)).ToHaveAttributeAsync("data-thread-id", ConversationApi.Id(t3));
        await Expect(c.Page.Locator(".thread").Nth(20)).ToHaveAttributeAsync("data-thread-id", ConversationApi.Id(t1));
        Assert.False(await _api.IsPinnedAsync(client, t1));
    }

    private static async Task ExpectChipAsync(ChatPage page, long seq, string emoji, int count, bool own)
    {
        var chip = page.Reaction(seq, emoji);
        await Expect(chip.Locator(".reaction-count")).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(chip).ToHaveAttributeAsync("aria-pressed", own ? "true" : "false");
    }
}
