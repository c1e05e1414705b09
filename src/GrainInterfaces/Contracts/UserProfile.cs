namespace OrleansChat.GrainInterfaces;

/// <summary>A user's profile as recorded from token claims or a service registration.</summary>
[GenerateSerializer, Immutable, Alias("chat.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] long Id,
    [property: Id(1)] string Username,
    [property: Id(2)] UserRole Role,
    [property: Id(3)] string? CompanyName,
    [property: Id(4)] string? Title,
    [property: Id(5)] string? Rate)
{
    public UserRef ToRef() => new(Id, Username);
}
