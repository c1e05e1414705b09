using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Users;

/// <summary>User grain settings (section "Chat:Users").</summary>
public sealed class UserOptions
{
    public const string Section = "Chat:Users";

    /// <summary>
    /// The shortest time between two of a user's <c>thread_updated</c> / <c>unread_count</c> notifications. The first
    /// change after a quiet interval goes out at once; changes that come faster gather and go out together at the end
    /// of the interval, so a busy user's badges update this often, not once per message (the message itself is live, §6).
    /// </summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static SettingRules Rules(UserOptions o) => new SettingRules(Section)
        .Between(nameof(NotifyInterval), o.NotifyInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
}
