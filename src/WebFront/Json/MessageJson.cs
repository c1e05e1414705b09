using System.Text.Json;

namespace OrleansChat.WebFront.Json;

public sealed record UserJson(long Id, string Username);

/// <summary>A message on the wire (spec §2).</summary>
public sealed record MessageJson(
    long Id,
    long Thread,
    long Seq,
    UserJson Sender,
    string Message,
    string MessageType,
    DateTime SentAt,
    DateTime? EditedAt,
    bool IsEdited,
    bool IsDeleted,
    bool IsRead,
    JsonElement? Metadata,
    string? ClientMessageId)
{
    public static MessageJson From(ChatMessage m, bool isRead) => new(
        m.Id, m.ThreadId, m.Seq, new UserJson(m.Sender.Id, m.Sender.Username), m.Text, m.MessageType, m.SentAt,
        m.EditedAt, m.EditedAt is not null, m.IsDeleted, isRead, ParseMetadata(m.MetadataJson), m.ClientMessageId);

    public static MessageJson From(MessageView view) => From(view.Message, view.IsRead);

    private static JsonElement? ParseMetadata(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>What <c>message_deleted</c> carries.</summary>
public sealed record DeletedMessageJson(long Id, long Thread, long Seq);

public sealed record MessagePageJson(IReadOnlyList<MessageJson> Results, bool HasMore, string? Next, string? Previous);

/// <summary>A page of search results (spec §8): newest first, <see cref="Next"/> the older page's url or null.</summary>
public sealed record SearchPageJson(IReadOnlyList<MessageJson> Results, string? Next);
