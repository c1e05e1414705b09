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
    string? ClientMessageId,
    ReplyJson? ReplyTo,
    IReadOnlyList<ReactionJson> Reactions,
    bool IsDelivered,
    IReadOnlyList<AttachmentJson> Attachments)
{
    /// <summary>
    /// The wire shape; <paramref name="viewerId"/> decides each reaction's <c>me</c> (0: nobody, for events rendered
    /// once for every listener).
    /// </summary>
    public static MessageJson From(ChatMessage m, bool isRead, bool isDelivered = false, long viewerId = 0) => new(
        m.Id, m.ThreadId, m.Seq, new UserJson(m.Sender.Id, m.Sender.Username), m.Text, m.MessageType, m.SentAt,
        m.EditedAt, m.EditedAt is not null, m.IsDeleted, isRead, ParseMetadata(m.MetadataJson), m.ClientMessageId,
        m.ReplyTo is { } q ? new ReplyJson(q.Id, q.Seq, new UserJson(q.Sender.Id, q.Sender.Username), q.Text, q.IsDeleted) : null,
        ReactionJson.From(m.IsDeleted ? null : m.Reactions, viewerId),
        isDelivered,
        AttachmentJson.From(m.IsDeleted ? null : m.Attachments));

    public static MessageJson From(MessageView view) => From(view.Message, view.IsRead, view.IsDelivered, view.ViewerId);

    public static JsonElement? ParseMetadata(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>The quoted parent of a reply (spec §7).</summary>
public sealed record ReplyJson(long Id, long Seq, UserJson Sender, string Message, bool IsDeleted);

/// <summary>One emoji's summary on a message; <see cref="Me"/> is the viewer's own.</summary>
public sealed record ReactionJson(string Emoji, int Count, bool Me)
{
    public static IReadOnlyList<ReactionJson> From(IReadOnlyList<ReactionSummary>? reactions, long viewerId) =>
        reactions is null ? [] : [.. reactions.Select(r => new ReactionJson(r.Emoji, r.Count, viewerId != 0 && r.UserIds.Contains(viewerId)))];
}

/// <summary>One version of a message (spec §7 edit history).</summary>
public sealed record MessageVersionJson(int Version, string Message, JsonElement? Metadata, DateTime At);

public sealed record HistoryJson(IReadOnlyList<MessageVersionJson> Results);

public sealed record DeliveredJson(long DeliveredUpToSeq);

/// <summary>What <c>message_deleted</c> carries.</summary>
public sealed record DeletedMessageJson(long Id, long Thread, long Seq);

public sealed record MessagePageJson(IReadOnlyList<MessageJson> Results, bool HasMore, string? Next, string? Previous);

/// <summary>A page of search results (spec §8): newest first, <see cref="Next"/> the older page's url or null.</summary>
public sealed record SearchPageJson(IReadOnlyList<MessageJson> Results, string? Next);
