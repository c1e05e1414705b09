using System.Text;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// The file name an upload keeps: its last path segment, without control characters (PostgreSQL stores no NUL, and a
/// header built from it must not break), a lone surrogate as U+FFFD, at most 255 code points.
/// </summary>
public static class FileNames
{
    public const int MaxCodePoints = 255;
    public const string Fallback = "file";

    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Fallback;
        }
        // Browsers send only the name, older ones a whole path (C:\Users\…): nobody needs the uploader's folders.
        var last = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var cleaned = new StringBuilder(Math.Min(last.Length, MaxCodePoints * 2));
        var count = 0;
        foreach (var rune in last.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                continue;
            }
            if (++count > MaxCodePoints)
            {
                break;
            }
            cleaned.Append(rune.ToString());
        }
        var result = cleaned.ToString().Trim();
        return result is "" or "." or ".." ? Fallback : result;
    }
}
