using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Presence;

public static class PresenceServices
{
    /// <summary>Presence on a front: the connection tracker, its heartbeat, the lookup for thread shapes, settings checked at start.</summary>
    public static IServiceCollection AddChatPresence(this IServiceCollection services)
    {
        services.AddValidatedSettings<PresenceOptions>(PresenceOptions.Section, PresenceOptions.Rules);
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<PresenceLookup>();
        services.AddHostedService<PresenceHeartbeat>();
        return services;
    }
}
