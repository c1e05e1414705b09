using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>A client-side observer that records what a thread grain publishes.</summary>
public sealed class RecordingThreadObserver : IThreadObserver
{
    public EventWaiter<ThreadEvent> Events { get; } = new();

    public Task OnThreadEvents(IReadOnlyList<ThreadEvent> events)
    {
        foreach (var e in events)
        {
            Events.Add(e);
        }
        return Task.CompletedTask;
    }
}
