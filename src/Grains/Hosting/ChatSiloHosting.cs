using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Hosting;

/// <summary>
/// Orleans as a chat silo: cluster identity, failure detection, membership, endpoints and the chat's grains. Used by
/// the silo process, and by a front that hosts its own silo (one process per machine, <c>Front:HostSilo</c>).
/// </summary>
public static class ChatSiloHosting
{
    public static IHostApplicationBuilder UseChatSilo(this IHostApplicationBuilder builder, SiloOptions options)
    {
        var configuration = builder.Configuration;
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
            // Failure detection and call timeouts are operator settings (Orleans:Membership, Orleans:Messaging).
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
            silo.Configure<SiloMessagingOptions>(configuration.GetSection("Orleans:Messaging"));
            silo.UseChatConnectionSettings(configuration);
            if (string.Equals(options.Clustering, "Localhost", StringComparison.OrdinalIgnoreCase))
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
            }
            else
            {
                silo.UseRedisClustering(configuration.RequiredConnectionString("Redis"));
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            }
            silo.AddChatGrains(configuration.RequiredConnectionString("ChatDb"), configuration);
            silo.AddActivityPropagation();
        });
        return builder;
    }
}
