using System.Text.Json;
using System.Text.Unicode;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// The one place that decides whether client text is acceptable, for every transport (REST bodies, WebSocket frames,
/// hub invocations). Spec §3: malformed UTF-8 and escaped lone surrogates make JSON not well-formed (400); a NUL
/// (U+0000) in any string bound for storage is invalid (422), because PostgreSQL can store neither in text or jsonb.
/// System.Text.Json parses both kinds of malformed text and only throws when a string is read, so every string and
/// member name is checked here, up front, before any handler reads one.
/// </summary>
public static class JsonText
{
    public const int MaxDepth = 64;

    public const string NulError = "must not contain the NUL character (U+0000)";

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses a document, or throws 400 naming <paramref name="what"/> ("body", "frame") when it is not well-formed.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        // A leading byte order mark is tolerated (RFC 8259 §8.1 lets a parser ignore it).
        if (utf8.Span.StartsWith(Bom))
        {
            utf8 = utf8[Bom.Length..];
        }
        if (Malformed(utf8.Span) is { } reason)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, $"The {what} is not well-formed JSON: {reason}.");
        }
        return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
    }

    /// <summary>Why <paramref name="utf8"/> is not well-formed JSON (syntax, depth, malformed UTF-8, a lone surrogate), or null.</summary>
    public static string? Malformed(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !IsWellFormedString(ref reader))
                {
                    return "malformed UTF-8 or a lone surrogate in a string";
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $"nested deeper than {MaxDepth} levels" : "syntax error";
        }
        catch (InvalidOperationException)
        {
            return "malformed UTF-8 or a lone surrogate in a string";
        }
    }

    /// <summary>True when <paramref name="text"/> has a surrogate without its partner (text that came from elsewhere than a checked document).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when any key or string value of <paramref name="element"/>, at any depth, contains U+0000.</summary>
    public static bool ContainsNul(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Contains('\0', StringComparison.Ordinal),
        JsonValueKind.Object => element.EnumerateObject().Any(p => p.Name.Contains('\0', StringComparison.Ordinal) || ContainsNul(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(ContainsNul),
        _ => false,
    };

    /// <summary>A well-formed string never holds an unpaired surrogate; a NUL is well-formed (the field rules refuse it).</summary>
    public static void ThrowIfMalformed(string text, string field)
    {
        if (HasLoneSurrogate(text))
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, $"{field}: malformed text (a lone surrogate).");
        }
    }

    private static bool IsWellFormedString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }
        // Escapes may spell a lone surrogate (GetString throws on those, and on malformed UTF-8 around them).
        return !HasLoneSurrogate(reader.GetString()!);
    }
}
