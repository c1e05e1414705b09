using System.Net.WebSockets;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// The close codes of spec §4. A browser sees close codes, not HTTP statuses, so authentication and authorization
/// failures after the upgrade use the 4000-range mirrors of 401/403 (and 400 for a bad query).
/// </summary>
public static class ChatCloseCodes
{
    public const WebSocketCloseStatus BadRequest = (WebSocketCloseStatus)4400;
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;
    public const WebSocketCloseStatus Forbidden = (WebSocketCloseStatus)4403;

    /// <summary>1008: the client flooded.</summary>
    public const WebSocketCloseStatus Flood = WebSocketCloseStatus.PolicyViolation;

    /// <summary>1009: a frame over the size limit.</summary>
    public const WebSocketCloseStatus TooBig = WebSocketCloseStatus.MessageTooBig;

    /// <summary>1013 "try again later": the client reads too slowly, or the cluster is unavailable for a moment.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    public const WebSocketCloseStatus InternalError = WebSocketCloseStatus.InternalServerError;

    /// <summary>1012 "service restart": this front is shutting down; reconnect (to any front) and catch up.</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;
}
