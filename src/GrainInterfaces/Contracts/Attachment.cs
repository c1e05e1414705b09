namespace OrleansChat.GrainInterfaces;

/// <summary>An attachment as messages carry it (spec §8); the bytes are served by the fronts, never by a grain.</summary>
[GenerateSerializer, Immutable, Alias("chat.AttachmentInfo")]
public sealed record AttachmentInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string FileName,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size);

/// <summary>The limits of spec §8 that the fronts and the thread grain both check.</summary>
public static class AttachmentLimits
{
    /// <summary>The most attachments one message carries.</summary>
    public const int MaxPerMessage = 10;

    /// <summary>The largest file one upload takes: 25 MiB.</summary>
    public const long MaxFileBytes = 26_214_400;
}
