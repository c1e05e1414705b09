using Microsoft.Extensions.Configuration;
using OrleansChat.Grains.Presence;

namespace OrleansChat.UnitTests.Presence;

/// <summary>Lease arithmetic and the presence settings' cross rules (spec §8: a dead front is noticed within 30 s).</summary>
public sealed class FrontLeaseTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    [Fact]
    public void A_lease_ends_only_after_its_whole_duration()
    {
        var lease = TimeSpan.FromSeconds(15);
        Assert.False(FrontLease.IsExpired(T0, T0 + lease, lease));
        Assert.True(FrontLease.IsExpired(T0, T0 + lease + TimeSpan.FromMilliseconds(1), lease));
        Assert.False(FrontLease.IsExpired(T0, T0 - TimeSpan.FromSeconds(1), lease)); // a heartbeat "from the future" keeps it alive
    }

    [Fact]
    public void The_defaults_notice_a_dead_front_well_within_30_seconds()
    {
        var defaults = new PresenceOptions();
        Assert.Empty(PresenceOptions.Rules(defaults, Empty).Failures);
        Assert.True(defaults.DetectionBound <= PresenceOptions.MaxDetection);
        // Dead right after a heartbeat: the first sweep after the lease declares it.
        var lastBeat = T0;
        var firstExpiredSweep = lastBeat + defaults.Lease + defaults.SweepInterval;
        Assert.True(FrontLease.IsExpired(lastBeat, firstExpiredSweep, defaults.Lease));
        Assert.True(firstExpiredSweep - lastBeat <= PresenceOptions.MaxDetection);
    }

    [Fact]
    public void The_lease_must_outlast_two_heartbeats_and_detection_must_stay_within_30_seconds()
    {
        var tooShort = PresenceOptions.Rules(new PresenceOptions { HeartbeatInterval = TimeSpan.FromSeconds(8), Lease = TimeSpan.FromSeconds(16) }, Empty);
        Assert.Single(tooShort.Failures, f => f.StartsWith("Chat:Presence:Lease must be more than twice Chat:Presence:HeartbeatInterval", StringComparison.Ordinal));

        var tooSlow = PresenceOptions.Rules(new PresenceOptions { Lease = TimeSpan.FromSeconds(29), SweepInterval = TimeSpan.FromSeconds(2) }, Empty);
        Assert.Single(tooSlow.Failures, f => f.StartsWith("Chat:Presence:Lease + Chat:Presence:SweepInterval must be at most 00:00:30", StringComparison.Ordinal));

        var noDebounce = PresenceOptions.Rules(new PresenceOptions { Debounce = TimeSpan.FromSeconds(1) }, Empty);
        Assert.Equal(["Chat:Presence:Debounce must be between 00:00:05 and 00:01:00 (is 00:00:01)"], noDebounce.Failures);
    }
}
