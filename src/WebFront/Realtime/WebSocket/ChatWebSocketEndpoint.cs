namespace OrleansChat.WebFront.Realtime.WebSocket;

/// <summary>/ws/chat/{thread_id}/: the seed's WebSocket protocol (spec §4).</summary>
public static class ChatWebSocketEndpoint
{
    public static IEndpointRouteBuilder MapChatWebSocket(this IEndpointRouteBuilder app) => app;
}
