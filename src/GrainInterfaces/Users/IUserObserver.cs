namespace OrleansChat.GrainInterfaces;

/// <summary>A front's subscription to one user's inbox events.</summary>
public interface IUserObserver : IGrainObserver
{
    [OneWay]
    Task OnUserEvent(UserEvent userEvent);
}
