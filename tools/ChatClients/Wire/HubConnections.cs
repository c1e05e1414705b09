using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.ChatClients;

/// <summary>Where the chat hub lives (spec §5) and how a client authenticates to it; callers choose the protocol.</summary>
public static class HubConnections
{
    public const string Path = "hubs/chat";

    /// <param name="webSocketsOnly">skip negotiation and go straight to WebSockets (one round trip less per connection, for load)</param>
    public static IHubConnectionBuilder Builder(Uri front, string token, bool webSocketsOnly = false) =>
        new HubConnectionBuilder().WithUrl(new Uri(front, Path), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            if (webSocketsOnly)
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }
        });
}
