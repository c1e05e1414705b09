using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Threads;

public sealed class ThreadOptions
{
    public const string Section = "Chat:Threads";

    /// <summary>The most messages one commit carries for one thread.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a typing indicator lives without a renewal (the spec allows at most 10 s).</summary>
    public TimeSpan TypingExpiry { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a front's subscription lives without renewal.</summary>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many bytes of recent client_message_ids an activation remembers (older ones are found in the database).</summary>
    public int RecentClientIdBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The settings' limits (typing expires within spec §4's 10 s), and the cross-process rule: a front renews its
    /// subscriptions (<c>Chat:Realtime:ResubscribeInterval</c>, 10 s unless the same configuration says otherwise) at
    /// least twice per observer expiry.
    /// </summary>
    public static SettingRules Rules(ThreadOptions o, IConfiguration configuration)
    {
        var resubscribe = configuration.GetValue("Chat:Realtime:ResubscribeInterval", TimeSpan.FromSeconds(10));
        return new SettingRules(Section)
            .Between(nameof(MaxBatchSize), o.MaxBatchSize, 1, 10_000)
            .Between(nameof(TypingExpiry), o.TypingExpiry, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10))
            .Between(nameof(ObserverExpiry), o.ObserverExpiry, resubscribe * 2, TimeSpan.FromHours(1))
            .Between(nameof(RecentClientIdBytes), o.RecentClientIdBytes, 0, 1 << 30);
    }
}
