namespace OrleansChat.WebFront.Realtime;

/// <summary>Realtime settings (section "Chat:Realtime").</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Chat:Realtime";

    /// <summary>How often this front renews its grain subscriptions (grains forget them after 2 minutes, and after a silo failure).</summary>
    public TimeSpan ResubscribeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one hub write may wait on a slow client before its connection is dropped.</summary>
    public TimeSpan SlowClientTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Catch-up replays at most this many messages per JoinThread / connect.</summary>
    public int MaxCatchUp { get; set; } = 10_000;
}
