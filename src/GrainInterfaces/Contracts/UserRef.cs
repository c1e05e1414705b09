namespace OrleansChat.GrainInterfaces;

/// <summary>The short form of a user that travels with every message: id and username.</summary>
[GenerateSerializer, Immutable, Alias("chat.UserRef")]
public sealed record UserRef([property: Id(0)] long Id, [property: Id(1)] string Username);
