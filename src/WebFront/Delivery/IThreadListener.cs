namespace OrleansChat.WebFront.Delivery;

/// <summary>A local receiver of one thread's events that is not a SignalR group (a raw WebSocket connection).</summary>
public interface IThreadListener
{
    long UserId { get; }

    /// <summary>Must not block: queue the event and return.</summary>
    void OnEvent(ThreadEvent threadEvent);
}
