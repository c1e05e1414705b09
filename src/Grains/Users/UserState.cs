namespace OrleansChat.Grains.Users;

/// <summary>The persisted part of a user (grain state "user"): the profile. The inbox is derived and rebuilt on activation.</summary>
public sealed class UserState
{
    public UserProfile? Profile { get; set; }
}
