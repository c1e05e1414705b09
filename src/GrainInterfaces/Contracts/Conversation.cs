namespace OrleansChat.GrainInterfaces;

/// <summary>The quoted parent of a reply (spec §7), read when the reply is read so it follows edits and deletes.</summary>
[GenerateSerializer, Immutable, Alias("chat.ReplyQuote")]
public sealed record ReplyQuote(
    [property: Id(0)] long Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] UserRef Sender,
    [property: Id(3)] string Text,
    [property: Id(4)] bool IsDeleted)
{
    /// <summary>The most code points of the parent's text a quote carries.</summary>
    public const int MaxQuoteCodePoints = 200;

    public static ReplyQuote Of(ChatMessage parent) =>
        new(parent.Id, parent.Seq, parent.Sender, parent.IsDeleted ? "" : Cut(parent.Text), parent.IsDeleted);

    /// <summary>The first 200 code points (never splits a surrogate pair).</summary>
    public static string Cut(string text)
    {
        var codePoints = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (codePoints++ == MaxQuoteCodePoints)
            {
                return text[..i];
            }
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
        }
        return text;
    }
}

/// <summary>One emoji on a message: who reacted with it (the count is their number), in order of first use.</summary>
[GenerateSerializer, Immutable, Alias("chat.ReactionSummary")]
public sealed record ReactionSummary([property: Id(0)] string Emoji, [property: Id(1)] IReadOnlyList<long> UserIds)
{
    public int Count => UserIds.Count;
}

/// <summary>One version of a message's text (spec §7 edit history).</summary>
[GenerateSerializer, Immutable, Alias("chat.MessageVersion")]
public sealed record MessageVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] string Text,
    [property: Id(2)] string? MetadataJson,
    [property: Id(3)] DateTime At);

[GenerateSerializer, Immutable, Alias("chat.ReactionCommand")]
public sealed record ReactionCommand(
    [property: Id(0)] Caller Caller,
    [property: Id(1)] long MessageId,
    [property: Id(2)] string Emoji,
    [property: Id(3)] bool Add);
