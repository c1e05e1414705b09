using System.Text;

namespace OrleansChat.Grains.Search;

/// <summary>
/// The user's words as the text of a PostgreSQL <c>to_tsquery</c>: every white-space separated word must match
/// (<c>&amp;</c>), the last one also as a prefix (<c>:*</c>). Each word is one quoted tsquery operand, so nothing
/// the user types is read as tsquery syntax (<c>&amp; | ! ( ) : * &lt;-&gt;</c>); to_tsquery then splits the quoted
/// word with the same parser that built the message vectors (so <c>e-mail</c> or <c>price:</c> match as written).
/// The text always reaches the database as a parameter, never as SQL.
/// </summary>
public static class SearchTerms
{
    /// <summary>The tsquery text, or null when no word is left to search for (only punctuation was typed).</summary>
    public static string? ToTsQuery(string query)
    {
        var words = Words(query).Where(IsSearchable).ToArray();
        if (words.Length == 0)
        {
            return null;
        }
        var text = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                text.Append(" & ");
            }
            text.Append('\'').Append(words[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }
        return text.Append(":*").ToString();
    }

    /// <summary>Words are separated by white space; control characters (NUL included) separate them too and are never sent.</summary>
    private static IEnumerable<string> Words(string query)
    {
        var start = -1;
        for (var i = 0; i <= query.Length; i++)
        {
            var separator = i == query.Length || char.IsWhiteSpace(query[i]) || char.IsControl(query[i]);
            if (separator && start >= 0)
            {
                yield return query[start..i];
                start = -1;
            }
            else if (!separator && start < 0)
            {
                start = i;
            }
        }
    }

    /// <summary>The number of Unicode code points (the spec's unit for lengths).</summary>
    public static int CodePoints(string text) => text.EnumerateRunes().Count();

    /// <summary>A word the text-search parser would turn into a lexeme: it has a letter, a digit or a symbol such as an emoji.</summary>
    private static bool IsSearchable(string word)
    {
        foreach (var rune in word.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.OtherSymbol)
            {
                return true;
            }
        }
        return false;
    }
}
