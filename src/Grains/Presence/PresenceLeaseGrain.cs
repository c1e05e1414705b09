using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Presence;

/// <summary>
/// A front's heartbeat lands on whichever silo it reaches and renews the lease row there: no activation holds a
/// lease, so losing a silo cannot lose (or wrongly end) one.
/// </summary>
[StatelessWorker]
public sealed class PresenceLeaseGrain(FrontLeaseStore leases) : Grain, IPresenceLeaseGrain
{
    public Task<bool> Heartbeat(string frontId) => leases.HeartbeatAsync(frontId);

    public Task Leave(string frontId) => leases.LeaveAsync(frontId);
}
