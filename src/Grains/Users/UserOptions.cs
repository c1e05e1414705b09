using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Users;

/// <summary>User grain settings (section "Chat:Users").</summary>
public sealed class UserOptions
{
    public const string Section = "Chat:Users";

    /// <summary>
    /// How long a user's inbox changes gather before their <c>thread_updated</c> / <c>unread_count</c> events go out:
    /// a busy thread updates a badge this often, not once per message (the message itself is live, §6).
    /// </summary>
    public TimeSpan NotifyDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public static SettingRules Rules(UserOptions o) => new SettingRules(Section)
        .Between(nameof(NotifyDelay), o.NotifyDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
}
