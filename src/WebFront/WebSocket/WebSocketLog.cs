namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// The endpoint's log lines. None carries the request URL or the token: the token travels in the query string.
/// </summary>
public static partial class WebSocketLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket rejected on thread {ThreadId}: close {CloseCode} ({Reason})")]
    public static partial void Rejected(ILogger logger, string threadId, int closeCode, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket of user {UserId} opened on thread {ThreadId}")]
    public static partial void Opened(ILogger logger, long userId, long threadId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket of user {UserId} on thread {ThreadId} closing: {CloseCode} ({Reason})")]
    public static partial void Closing(ILogger logger, long userId, long threadId, int closeCode, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket of user {UserId} on thread {ThreadId} ended")]
    public static partial void Ended(ILogger logger, long userId, long threadId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error handling a frame of user {UserId} on thread {ThreadId}")]
    public static partial void FrameFailed(ILogger logger, Exception exception, long userId, long threadId);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket session of user {UserId} on thread {ThreadId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, long userId, long threadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not render a {EventType} event of thread {ThreadId} for a WebSocket")]
    public static partial void RenderFailed(ILogger logger, Exception exception, string eventType, long threadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket handshake on thread {ThreadId} failed")]
    public static partial void HandshakeFailed(ILogger logger, Exception exception, string threadId);
}
