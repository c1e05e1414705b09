namespace OrleansChat.GrainInterfaces;

/// <summary>
/// A front's subscription to one thread. One-way, so a dead front cannot stall delivery to the others; the front
/// restores order from <see cref="ThreadEventBatch.Number"/> and fills anything lost from the message log.
/// </summary>
public interface IThreadObserver : IGrainObserver
{
    /// <summary>
    /// Batches of any of the front's threads, in the order the silo published them: a silo gathers its calls to one
    /// front for a few milliseconds and sends them together.
    /// </summary>
    [OneWay]
    Task OnThreadEventBatches(IReadOnlyList<ThreadEventBatch> batches);
}
