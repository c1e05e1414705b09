namespace OrleansChat.GrainInterfaces;

/// <summary>
/// A front's subscription to one thread. One-way, so a dead front cannot stall delivery to the others; the front
/// restores order from <see cref="ThreadEventBatch.Number"/> and fills anything lost from the message log.
/// </summary>
public interface IThreadObserver : IGrainObserver
{
    [OneWay]
    Task OnThreadEvents(ThreadEventBatch batch);
}
