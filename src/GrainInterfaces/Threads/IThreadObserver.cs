namespace OrleansChat.GrainInterfaces;

/// <summary>
/// A front's subscription to one thread. One-way, so a dead front cannot stall delivery to the others;
/// completeness comes from seq catch-up, not from this channel.
/// </summary>
public interface IThreadObserver : IGrainObserver
{
    [OneWay]
    Task OnThreadEvents(IReadOnlyList<ThreadEvent> events);
}
