namespace OrleansChat.GrainInterfaces;

/// <summary>
/// Fronts' leases (spec §8: a front that dies is noticed within 30 s). A lease is a row in PostgreSQL, so any silo
/// serves a heartbeat (stateless worker: no activation to lose) and any silo's sweeper can expire it.
/// </summary>
[Alias("chat.IPresenceLeaseGrain")]
public interface IPresenceLeaseGrain : IGrainWithIntegerKey
{
    /// <summary>Renews (or starts) the front's lease; false when it was already declared dead.</summary>
    [Alias("Heartbeat")]
    Task<bool> Heartbeat(string frontId);

    /// <summary>A front stopping gracefully ends its lease now instead of letting it run out.</summary>
    [Alias("Leave")]
    Task Leave(string frontId);
}
