using Microsoft.Extensions.Configuration;

namespace OrleansChat.GrainInterfaces.Configuration;

/// <summary>Connection strings a process cannot start without (silos, fronts, a front hosting its silo).</summary>
public static class RequiredConnectionStrings
{
    public static string RequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"ConnectionStrings:{name} is not configured (env ConnectionStrings__{name}).");
}
