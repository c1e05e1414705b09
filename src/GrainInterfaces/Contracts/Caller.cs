namespace OrleansChat.GrainInterfaces;

/// <summary>Who is calling, as the front authenticated them; grains authorize on it.</summary>
[GenerateSerializer, Immutable, Alias("chat.Caller")]
public sealed record Caller([property: Id(0)] long Id, [property: Id(1)] string Username, [property: Id(2)] UserRole Role)
{
    public UserRef ToRef() => new(Id, Username);

    public bool IsPrivileged => Role.IsPrivileged();
}
