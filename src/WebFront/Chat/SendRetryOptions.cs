using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// How long a send with a client_message_id may go unanswered before the front sends it again (section
/// "Chat:SendRetry"; see <see cref="StuckSendRetry"/> and docs/reliability.md, "Cluster of hosts").
/// </summary>
public sealed class SendRetryOptions
{
    public const string Section = "Chat:SendRetry";

    /// <summary>
    /// A send still unanswered after this long is sent again. A call lost with a silo that was cut off, frozen or
    /// behind a dead gateway connection is otherwise answered only by Orleans' response timeout (10 s). Shorter
    /// finds the silo's successor sooner; each extra attempt is one more grain call that the thread answers from its
    /// client_message_id, so a slow but healthy send costs one duplicate call per period. 0 turns retries off.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most attempts of one send (with the default timeout: at 0, 2, 4, 6 and 8 s, so an attempt made after a
    /// silo's death declaration, ~4-8 s, finds its threads elsewhere); after the last one the front waits for
    /// whichever answers first.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    public static SettingRules Rules(SendRetryOptions o, IConfiguration configuration) => new SettingRules(Section)
        .Between(nameof(AttemptTimeout), o.AttemptTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(1))
        .Between(nameof(MaxAttempts), o.MaxAttempts, 1, 20);
}
