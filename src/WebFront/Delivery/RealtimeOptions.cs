using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Delivery;

/// <summary>Realtime settings (section "Chat:Realtime").</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Chat:Realtime";

    /// <summary>How often this front renews its grain subscriptions (grains forget them after 2 minutes, and after a silo failure).</summary>
    public TimeSpan ResubscribeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one hub write may wait on a slow client before its connection is dropped.</summary>
    public TimeSpan SlowClientTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most messages a hub <c>JoinThread</c> returns; any further missed messages follow as <c>chat_message</c>
    /// events to that connection, page by page, so catch-up of any length needs bounded memory.
    /// </summary>
    public int MaxCatchUp { get; set; } = 10_000;

    /// <summary>How long a missing event batch may stay missing before the front reads its messages from the log.</summary>
    public TimeSpan GapFillDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How soon a failed fill or subscription is tried again.</summary>
    public TimeSpan FillRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The settings' limits, and the cross-process rule: renewals come at least twice per grain observer expiry
    /// (<c>Chat:Threads:ObserverExpiry</c>, a silo setting, 2 min unless the same configuration says otherwise).
    /// </summary>
    public static SettingRules Rules(RealtimeOptions o, IConfiguration configuration)
    {
        var observerExpiry = configuration.GetValue("Chat:Threads:ObserverExpiry", TimeSpan.FromMinutes(2));
        return new SettingRules(Section)
            .Between(nameof(ResubscribeInterval), o.ResubscribeInterval, TimeSpan.FromSeconds(1), observerExpiry / 2)
            .Between(nameof(SlowClientTimeout), o.SlowClientTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))
            .Between(nameof(MaxCatchUp), o.MaxCatchUp, 1, 100_000)
            .Between(nameof(GapFillDelay), o.GapFillDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5))
            .Between(nameof(FillRetryDelay), o.FillRetryDelay, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    }
}
