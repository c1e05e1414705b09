namespace OrleansChat.GrainInterfaces;

/// <summary>A front's subscription to one user's inbox events.</summary>
public interface IUserObserver : IGrainObserver
{
    /// <summary>Everything that changed for the user since the previous call, in order: one message per coalesced flush.</summary>
    [OneWay]
    Task OnUserEvents(IReadOnlyList<UserEvent> events);
}
