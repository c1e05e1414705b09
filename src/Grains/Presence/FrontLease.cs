namespace OrleansChat.Grains.Presence;

/// <summary>Lease arithmetic (pure logic): when a front that stopped heartbeating counts as dead.</summary>
public static class FrontLease
{
    /// <summary>
    /// Expired once more than <paramref name="lease"/> passed since the last heartbeat, both times read from the
    /// same (the database's) clock. A front that dies right after a heartbeat is declared dead by the first sweep
    /// after its lease, so within lease + sweep interval (<see cref="PresenceOptions.DetectionBound"/>).
    /// </summary>
    public static bool IsExpired(DateTime lastHeartbeat, DateTime now, TimeSpan lease) => now - lastHeartbeat > lease;
}
