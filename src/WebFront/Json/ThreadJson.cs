using System.Text.Json.Serialization;

namespace OrleansChat.WebFront.Json;

public sealed record ClientProfileJson(long Id, UserJson User, string? CompanyName);

public sealed record FreelancerProfileJson(long Id, UserJson User, string? Title, string? Rate);

public sealed record LastMessageJson(long Id, long Seq, string Message, DateTime SentAt);

/// <summary>A thread on the wire (spec §2); unread, muted and archived are the viewer's own; <c>other_online</c> is spec §8's.</summary>
public sealed record ThreadJson(
    long Id,
    ClientProfileJson Client,
    FreelancerProfileJson Freelancer,
    long? Job,
    DateTime CreatedAt,
    DateTime? LastMessageAt,
    bool IsActive,
    LastMessageJson? LastMessage,
    int UnreadCount,
    long LastSeq,
    bool IsMuted,
    bool IsArchived,
    bool IsPinned,
    bool OtherOnline);

public sealed record ThreadPageJson(int Count, string? Next, string? Previous, IReadOnlyList<ThreadJson> Results);

public sealed record UnreadThreadJson(long Thread, int UnreadCount);

public sealed record UnreadCountJson(int UnreadCount, IReadOnlyList<UnreadThreadJson> Threads);

public sealed record MarkReadJson(int Marked, int UnreadCount);

/// <summary>GET …/users/{id}/presence/ (spec §8).</summary>
public sealed record PresenceJson(long User, bool Online, DateTime? LastSeenAt);

public sealed record ProfileJson(
    long Id,
    string Username,
    string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompanyName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rate)
{
    public static ProfileJson From(UserProfile p) => new(p.Id, p.Username, p.Role.ToWire(), p.CompanyName, p.Title, p.Rate);
}
