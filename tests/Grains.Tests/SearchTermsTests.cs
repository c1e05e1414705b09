using OrleansChat.Grains.Search;

namespace OrleansChat.Grains.Tests;

/// <summary>The tsquery text built from a user's words (pure; the real matching is covered by the WebFront search tests).</summary>
public sealed class SearchTermsTests
{
    [Theory]
    [InlineData("invoice", "'invoice':*")]
    [InlineData("  invoice   march ", "'invoice' & 'march':*")]
    [InlineData("o'brien back\\slash", "'o''brien' & 'back\\\\slash':*")]
    [InlineData("a&b | !c", "'a&b' & '!c':*")]
    [InlineData("price ?", "'price':*")]
    [InlineData("x\u0000y\u0007z", "'x' & 'y' & 'z':*")]
    [InlineData("цена\u00A0договор", "'цена' & 'договор':*")]
    [InlineData("🙂", "'🙂':*")]
    public void Words_become_quoted_operands_all_required_the_last_a_prefix(string query, string expected) =>
        Assert.Equal(expected, SearchTerms.ToTsQuery(query));

    [Theory]
    [InlineData("?!")]
    [InlineData("' & | ( ) :* <->")]
    [InlineData("\u0000")]
    public void Punctuation_alone_leaves_nothing_to_search(string query) => Assert.Null(SearchTerms.ToTsQuery(query));

    [Fact]
    public void Lengths_count_code_points() => Assert.Equal(3, SearchTerms.CodePoints("a😀b"));
}
