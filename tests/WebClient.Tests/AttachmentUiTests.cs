using System.Globalization;

namespace OrleansChat.WebClient.Tests;

/// <summary>
/// Spec §8's attachments in the web client, in headless Chromium: files picked with the paperclip upload at once
/// (chips with progress), the send carries them, and both participants see an image preview decoded from a blob: URL
/// fetched with the token and a file card whose download saves the exact bytes; a file over the limit gets an error chip.
/// </summary>
[Collection(BrowserStack.Collection)]
public sealed class AttachmentUiTests(BrowserStack browsers) : IAsyncLifetime
{
    private const int MaxFileBytes = 26_214_400;

    private readonly ConversationApi _api = new(browsers.Stack);
    private readonly BrowserPages _pages = new(browsers);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _pages.DisposeAsync().AsTask();

    [Fact]
    public async Task An_image_and_a_pdf_sent_from_the_browser_show_as_preview_and_file_card_on_both_sides()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var threadId = await _api.ThreadAsync(client, freelancer, job: 21);
        await _api.SendAsync(freelancer, threadId, "Could you send the mockup and the brief?");
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");
        var f = await _pages.OpenAsync(freelancer, $"app/threads/{threadId}", phone: true);

        // Both files upload the moment they are picked; each chip ends "done" with its name and size.
        var png = SampleFiles.Png(320, 200);
        var pdf = SampleFiles.Pdf(3072);
        await c.FileInput.SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "mockup.png", MimeType = "image/png", Buffer = png },
            new FilePayload { Name = "brief.pdf", MimeType = "application/pdf", Buffer = pdf },
        });
        await Expect(c.Chips.Filter(new() { HasTextString = "mockup.png" })).ToHaveAttributeAsync("data-state", "done");
        await Expect(c.Chips.Filter(new() { HasTextString = "brief.pdf" })).ToHaveAttributeAsync("data-state", "done");
        await Expect(c.Chips.Filter(new() { HasTextString = "brief.pdf" }).Locator(".chip-size")).ToHaveTextAsync("3.0 KB");
        await c.SendAsync("Here are the mockup and the brief.");
        await Expect(c.Chips).ToHaveCountAsync(0);

        // Both sides (the freelancer's live, over the hub): the picture decoded from its blob: URL, and the PDF's card.
        foreach (var page in new[] { c, f })
        {
            var message = page.MessageWithText("Here are the mockup and the brief.");
            var image = message.Locator("img.attachment-image");
            await Expect(image).ToHaveAttributeAsync("alt", "mockup.png");
            await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 320);
            await Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
            var card = message.Locator(".file-card");
            await Expect(card.Locator(".file-name")).ToHaveTextAsync("brief.pdf");
            await Expect(card.Locator(".file-size")).ToHaveTextAsync("3.0 KB");
        }
        await c.Page.ScreenshotAsync(new() { Path = Screenshots.Path("attachments-desktop.png") });

        // The server stored one message carrying both files.
        var messageId = long.Parse(await c.MessageWithText("Here are the mockup and the brief.").GetAttributeAsync("data-id") ?? "0", CultureInfo.InvariantCulture);
        var stored = (await _api.MessageAsync(client, messageId)).GetProperty("attachments").EnumerateArray()
            .Select(a => (a.GetProperty("file_name").GetString(), a.GetProperty("content_type").GetString(), a.GetProperty("size").GetInt64()))
            .OrderBy(a => a.Item1).ToArray();
        Assert.Equal([("brief.pdf", "application/pdf", 3072L), ("mockup.png", "image/png", (long)png.Length)], stored);

        // The card's link fetches with the token and saves the exact bytes under the file's name.
        var download = await f.Page.RunAndWaitForDownloadAsync(() => f.Page.GetByLabel("Download brief.pdf").ClickAsync());
        Assert.Equal("brief.pdf", download.SuggestedFilename);
        await using (var saved = await download.CreateReadStreamAsync())
        using (var bytes = new MemoryStream())
        {
            await saved.CopyToAsync(bytes);
            Assert.Equal(pdf, bytes.ToArray());
        }

        // A click on the preview opens the full-size picture (the blob: URL) in a new tab.
        var tab = await c.Page.Context.RunAndWaitForPageAsync(() => c.MessageWithText("Here are the mockup").Locator(".attachment-preview").ClickAsync());
        Assert.StartsWith("blob:", tab.Url, StringComparison.Ordinal);
        await tab.CloseAsync();
    }

    [Fact]
    public async Task A_message_of_only_a_file_is_sent_and_a_file_over_the_limit_gets_an_error_chip()
    {
        var client = await _api.ClientAsync();
        var freelancer = await _api.FreelancerAsync();
        var threadId = await _api.ThreadAsync(client, freelancer);
        var c = await _pages.OpenAsync(client, $"app/threads/{threadId}");

        // 25 MiB + 1 byte: a readable error instead of an upload, and it cannot be sent.
        await c.FileInput.SetInputFilesAsync(new FilePayload { Name = "raw-footage.bin", MimeType = "application/octet-stream", Buffer = new byte[MaxFileBytes + 1] });
        var tooLarge = c.Chips.Filter(new() { HasTextString = "raw-footage.bin" });
        await Expect(tooLarge).ToHaveAttributeAsync("data-state", "error");
        await Expect(tooLarge.Locator(".chip-error")).ToHaveTextAsync("Too large: the limit is 25 MB per file.");
        await c.Button("Remove raw-footage.bin").ClickAsync();
        await Expect(c.Chips).ToHaveCountAsync(0);

        // A text file alone, with an empty composer: the message is only its file card.
        await c.FileInput.SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "Kick-off on Monday."u8.ToArray() });
        await Expect(c.Chips.Filter(new() { HasTextString = "notes.txt" })).ToHaveAttributeAsync("data-state", "done");
        await c.Composer.PressAsync("Enter");
        var card = c.Messages.Locator(".file-card");
        await Expect(card.Locator(".file-name")).ToHaveTextAsync("notes.txt");
        await Expect(card.Locator(".file-size")).ToHaveTextAsync("19 B");
        var messageId = long.Parse(await c.Messages.Last.GetAttributeAsync("data-id") ?? "0", CultureInfo.InvariantCulture);
        var stored = await _api.MessageAsync(client, messageId);
        Assert.Equal("", stored.GetProperty("message").GetString());
        Assert.Equal("notes.txt", stored.GetProperty("attachments")[0].GetProperty("file_name").GetString());
    }
}
