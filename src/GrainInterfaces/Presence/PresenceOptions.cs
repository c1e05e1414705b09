using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.GrainInterfaces;

/// <summary>
/// Presence settings (section "Chat:Presence"), read by fronts (heartbeat) and silos (lease, sweep, debounce); a
/// deployment gives both the same configuration, and both check all of it.
/// </summary>
public sealed class PresenceOptions
{
    public const string Section = "Chat:Presence";

    /// <summary>Spec §8: a front that dies is noticed within this long.</summary>
    public static readonly TimeSpan MaxDetection = TimeSpan.FromSeconds(30);

    /// <summary>Spec §8: a change undone within this long is not broadcast.</summary>
    public static readonly TimeSpan MinDebounce = TimeSpan.FromSeconds(5);

    /// <summary>How often each front renews its lease (one call per front, whatever its connections).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a front's lease lasts after its last heartbeat.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each silo looks for expired leases.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a presence change must last before the <c>presence</c> event goes out.</summary>
    public TimeSpan Debounce { get; set; } = MinDebounce;

    /// <summary>The longest a dead front's connections still count: its lease, then at most one sweep.</summary>
    public TimeSpan DetectionBound => Lease + SweepInterval;

    public static SettingRules Rules(PresenceOptions o, IConfiguration configuration) =>
        new SettingRules(Section)
            .Between(nameof(HeartbeatInterval), o.HeartbeatInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10))
            .Between(nameof(SweepInterval), o.SweepInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10))
            .Between(nameof(Debounce), o.Debounce, MinDebounce, TimeSpan.FromMinutes(1))
            // One late or lost heartbeat must not end a live front's lease.
            .Require(o.Lease > o.HeartbeatInterval * 2,
                $"{Section}:Lease must be more than twice {Section}:HeartbeatInterval (is {o.Lease:c} with heartbeats every {o.HeartbeatInterval:c})")
            .Require(o.DetectionBound <= MaxDetection,
                $"{Section}:Lease + {Section}:SweepInterval must be at most {MaxDetection:c}, spec §8's bound for noticing a dead front (is {o.DetectionBound:c})");
}
