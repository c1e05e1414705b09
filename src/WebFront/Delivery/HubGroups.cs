namespace OrleansChat.WebFront.Delivery;

/// <summary>The SignalR groups live events go to: a thread's joined connections, per user within it, and a user's connections.</summary>
public static class HubGroups
{
    public static string Thread(long threadId) => $"thread:{threadId}";

    public static string ThreadUser(long threadId, long userId) => $"thread:{threadId}:user:{userId}";

    public static string User(long userId) => $"user:{userId}";
}
