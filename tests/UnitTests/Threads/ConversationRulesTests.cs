using OrleansChat.WebFront.Chat;

namespace OrleansChat.UnitTests.Threads;

/// <summary>The quote cut and the emoji rule of spec §7, in code points.</summary>
public sealed class ConversationRulesTests
{
    [Fact]
    public void A_quote_is_cut_at_200_code_points_without_splitting_a_pair()
    {
        var text = new string('a', 199) + "😀😀";
        var cut = ReplyQuote.Cut(text);
        Assert.Equal(new string('a', 199) + "😀", cut);
        Assert.Equal("short", ReplyQuote.Cut("short"));
        Assert.Equal(200, ReplyQuote.Cut(string.Concat(Enumerable.Repeat("😀", 300))).EnumerateRunes().Count());
    }

    [Fact]
    public void A_deleted_parent_is_quoted_empty()
    {
        var parent = new ChatMessage(1, 2, 3, new UserRef(4, "u"), "secret", "text", null, DateTime.UnixEpoch, null, true, null);
        var quote = ReplyQuote.Of(parent);
        Assert.Equal("", quote.Text);
        Assert.True(quote.IsDeleted);
    }

    [Fact]
    public void A_lone_surrogate_is_no_emoji()
    {
        var lone = "x" + '\ud83d';
        Assert.NotNull(ConversationCommands.EmojiProblem(lone));
    }

    [Theory]
    [InlineData("👍", true)]
    [InlineData("❤️", true)]
    [InlineData("👨‍👩‍👧‍👦", true)] // 7 code points
    [InlineData("12345678", true)]
    [InlineData("123456789", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("\u00a0", false)]
    [InlineData("x\n", false)]
    [InlineData("\u0001", false)]
    public void Emoji_are_1_to_8_code_points_without_white_space_or_control(string emoji, bool valid) =>
        Assert.Equal(valid, ConversationCommands.EmojiProblem(emoji) is null);
}
