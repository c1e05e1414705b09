namespace OrleansChat.GrainInterfaces;

/// <summary>Something a user should hear about for any of their threads, joined or not.</summary>
[GenerateSerializer, Immutable, Alias("chat.UserEvent")]
public abstract record UserEvent([property: Id(0)] long UserId);

[GenerateSerializer, Immutable, Alias("chat.UnreadCountChanged")]
public sealed record UnreadCountChanged(
    long UserId,
    [property: Id(0)] long ThreadId,
    [property: Id(1)] int ThreadUnreadCount,
    [property: Id(2)] int TotalUnreadCount) : UserEvent(UserId);

[GenerateSerializer, Immutable, Alias("chat.UserThreadUpdated")]
public sealed record UserThreadUpdated(long UserId, [property: Id(0)] ThreadView View) : UserEvent(UserId);

/// <summary>Spec §8's <c>presence</c> event for <see cref="UserEvent.UserId"/>: <see cref="Subject"/>, who shares a thread with them, changed.</summary>
[GenerateSerializer, Immutable, Alias("chat.PresenceChanged")]
public sealed record PresenceChanged(
    long UserId,
    [property: Id(0)] UserRef Subject,
    [property: Id(1)] bool Online,
    [property: Id(2)] DateTime? LastSeenAt) : UserEvent(UserId);
