namespace OrleansChat.GrainInterfaces;

/// <summary>A user's presence: online while any connection is open; <see cref="LastSeenAt"/> is when the last one closed.</summary>
[GenerateSerializer, Immutable, Alias("chat.PresenceStatus")]
public sealed record PresenceStatus([property: Id(0)] long UserId, [property: Id(1)] bool Online, [property: Id(2)] DateTime? LastSeenAt);
