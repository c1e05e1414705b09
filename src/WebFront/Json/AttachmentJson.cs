using System.Globalization;

namespace OrleansChat.WebFront.Json;

/// <summary>An attachment as messages carry it (spec §8); <see cref="Url"/> is a path on this service.</summary>
public sealed record AttachmentJson(long Id, string FileName, string ContentType, long Size, string Url)
{
    public static IReadOnlyList<AttachmentJson> From(IReadOnlyList<AttachmentInfo>? attachments) =>
        attachments is null ? [] : [.. attachments.Select(a => new AttachmentJson(a.Id, a.FileName, a.ContentType, a.Size, UrlOf(a.Id)))];

    /// <summary>Where the bytes are served, whichever store holds them.</summary>
    public static string UrlOf(long id) => $"/api/chat/attachments/{id.ToString(CultureInfo.InvariantCulture)}/";
}

/// <summary>What an upload answers (201): the attachment and its SHA-256 (lower-case hex).</summary>
public sealed record UploadedAttachmentJson(long Id, string FileName, string ContentType, long Size, string Sha256, string Url);
