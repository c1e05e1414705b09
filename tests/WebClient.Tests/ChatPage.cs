namespace OrleansChat.WebClient.Tests;

/// <summary>The web client's page as a user sees it: located by labels, roles and visible text.</summary>
internal sealed class ChatPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Connection => Page.Locator(".connection");

    public ILocator Composer => Page.GetByLabel("Message", new() { Exact = true });

    public ILocator Typing => Page.Locator(".conversation .typing");

    public ILocator Messages => Page.Locator(".message-list:not(.pending-list) > li");

    public ILocator Thread(long threadId) => Page.Locator($".thread[data-thread-id=\"{threadId}\"]");

    public ILocator Message(long seq) => Page.Locator($".message-list > li[data-seq=\"{seq}\"]");

    public ILocator MessageWithText(string text) => Messages.Filter(new() { Has = Page.Locator(".msg-text", new() { HasTextString = text }) });

    /// <summary>A button by its exact accessible name (names such as "Reply to message 1" and "… 10" share prefixes).</summary>
    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator Reaction(long seq, string emoji) => Message(seq).Locator($".reaction[data-emoji=\"{emoji}\"]");

    public ILocator ReplyBar => Page.Locator(".composer .reply-bar");

    public ILocator SearchBox => Page.GetByLabel("Search messages", new() { Exact = true });

    public ILocator SearchHits => Page.Locator(".search-results > li");

    /// <summary>The online dot of a thread in the list (its accessible name says online or offline).</summary>
    public ILocator PresenceDot(long threadId) => Thread(threadId).Locator(".presence-dot");

    /// <summary>The open conversation's "online" / "last seen …" line for the other participant.</summary>
    public ILocator HeaderPresence => Page.Locator(".conversation-head .presence");

    /// <summary>The paperclip's file input (hidden; Playwright sets files on it directly).</summary>
    public ILocator FileInput => Page.Locator(".composer input[type=file]");

    /// <summary>The files above the composer: uploading, done or refused (data-state).</summary>
    public ILocator Chips => Page.Locator(".attachment-tray > .attachment-chip");

    public ILocator HistoryDialog => Page.Locator("dialog.history");

    /// <summary>Threads in the order the list shows them.</summary>
    public async Task ExpectThreadOrderAsync(params long[] threadIds)
    {
        for (var i = 0; i < threadIds.Length; i++)
        {
            await Expect(Page.Locator(".thread").Nth(i)).ToHaveAttributeAsync("data-thread-id", threadIds[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public async Task ExpectConnectedAsync() => await Expect(Connection).ToHaveTextAsync("Connected");

    /// <summary>Types like a person (key by key, so typing events fire) and sends with Enter.</summary>
    public async Task SendAsync(string text)
    {
        await Composer.PressSequentiallyAsync(text);
        await Composer.PressAsync("Enter");
    }

    public async Task<long> SeqOfAsync(string text) =>
        long.Parse(await MessageWithText(text).GetAttributeAsync("data-seq") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The seqs shown in the conversation, in display order.</summary>
    public async Task<long[]> ShownSeqsAsync() =>
        await Messages.EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.seq))");
}
