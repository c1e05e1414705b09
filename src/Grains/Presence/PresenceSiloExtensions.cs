using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Presence;

public static class PresenceSiloExtensions
{
    /// <summary>Presence on a silo: its stores, its settings (checked at start) and the lease sweeper.</summary>
    public static ISiloBuilder AddChatPresence(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<PresenceStore>();
        silo.Services.AddSingleton<FrontLeaseStore>();
        silo.Services.AddValidatedSettings<PresenceOptions>(PresenceOptions.Section, PresenceOptions.Rules);
        silo.Services.AddHostedService<FrontLeaseSweeper>();
        return silo;
    }
}
