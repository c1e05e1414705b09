using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Presence;
using RawWebSocket = System.Net.WebSockets.WebSocket;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// /ws/chat/{thread_id}/: the seed's WebSocket protocol (spec §4). Not behind RequireAuthorization: the upgrade is
/// accepted first and a bad token or a foreign thread is answered with a close code (4401, 4403), because that is
/// all a browser's WebSocket can see. A plain HTTP request gets a problem+json 400.
/// </summary>
public static class ChatWebSocketEndpoint
{
    private static readonly TimeSpan RejectTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapChatWebSocket(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ChatWebSocketOptions>>().Value;
        // Map, not MapGet: WebSockets over HTTP/2 arrive as CONNECT.
        RequestDelegate handler = context => HandleAsync(context, options);
        app.Map("/ws/chat/{thread_id}/", handler);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, ChatWebSocketOptions options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest,
                "This endpoint speaks WebSocket only: open it with a WebSocket client (?token=<jwt>).");
            return;
        }
        var rawThreadId = context.GetRouteValue("thread_id") as string ?? "";
        var logger = context.RequestServices.GetRequiredService<ILogger<ChatWebSocketSession>>();
        try
        {
            await HandshakeAsync(context, rawThreadId, options, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Nothing escapes into the server: the connection is cut (by ending the request), the process goes on.
            WebSocketLog.HandshakeFailed(logger, e, Shorten(rawThreadId));
        }
    }

    /// <summary>
    /// Everything that can refuse the connection happens before the upgrade is accepted, and the session listens to
    /// the thread before it too: once the client sees the socket open, every later message reaches it. Refusals still
    /// accept the upgrade and then close with a code, which is what a browser can observe.
    /// </summary>
    private static async Task HandshakeAsync(HttpContext context, string rawThreadId, ChatWebSocketOptions options, ILogger logger)
    {
        var services = context.RequestServices;
        var validator = new WebSocketTokenValidator(services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>());
        var identity = await validator.ValidateAsync(WebSocketTokenValidator.TokenFrom(context.Request));
        if (identity is null)
        {
            await RejectAsync(context, ChatCloseCodes.Unauthorized, "missing, invalid or expired token", rawThreadId, logger);
            return;
        }
        // An id that cannot exist is an unknown thread: the same 4403 as a thread of others, revealing nothing.
        if (!long.TryParse(rawThreadId, NumberStyles.None, CultureInfo.InvariantCulture, out var threadId) || threadId <= 0)
        {
            await RejectAsync(context, ChatCloseCodes.Forbidden, "not a participant of this thread", rawThreadId, logger);
            return;
        }
        long? afterSeq = null;
        if (context.Request.Query["after_seq"].FirstOrDefault() is { } rawAfter)
        {
            if (!long.TryParse(rawAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                // Ignoring it would silently break the reconnecting client's completeness: say why and close.
                await RejectAsync(context, ChatCloseCodes.BadRequest, "after_seq must be a non-negative integer", rawThreadId, logger,
                    OutgoingFrames.Error(400, "after_seq must be a non-negative integer.", null));
                return;
            }
            afterSeq = after;
        }
        var chat = services.GetRequiredService<ChatCommands>();
        var sessionServices = new SessionServices(chat, services.GetRequiredService<ThreadSubscriptions>(), options, logger,
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping, services.GetRequiredService<ConversationCommands>());
        using var session = new ChatWebSocketSession(threadId, identity, sessionServices);
        try
        {
            await services.GetRequiredService<ProfileRecorder>().RecordAsync(identity.Profile);
            await chat.AuthorizeListenerAsync(identity.Caller, threadId);
            await session.ListenAsync();
        }
        catch (ChatException e) when (e.Kind is ChatErrorKind.NotFound or ChatErrorKind.Forbidden)
        {
            await RejectAsync(context, ChatCloseCodes.Forbidden, "not a participant of this thread", rawThreadId, logger);
            return;
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { Status: 503 })
        {
            await RejectAsync(context, ChatCloseCodes.TryAgainLater, "chat cluster unavailable: retry", rawThreadId, logger);
            return;
        }
        // Counted before the client sees the socket open, so a presence read right after the open says online.
        var presence = services.GetRequiredService<PresenceTracker>();
        await presence.OpenAsync(identity.Caller.Id, identity.Caller.Username);
        try
        {
            if (await AcceptAsync(context) is not { } socket)
            {
                return;
            }
            using (socket)
            {
                await session.RunAsync(socket, afterSeq);
            }
        }
        finally
        {
            presence.Close(identity.Caller.Id);
        }
    }

    private static async Task<RawWebSocket?> AcceptAsync(HttpContext context)
    {
        try
        {
            return await context.WebSockets.AcceptWebSocketAsync();
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away during the handshake.
            return null;
        }
    }

    /// <summary>Accepts the upgrade only to close it with <paramref name="status"/> (after an optional error frame).</summary>
    private static async Task RejectAsync(HttpContext context, WebSocketCloseStatus status, string reason, string rawThreadId, ILogger logger, byte[]? errorFrame = null)
    {
        WebSocketLog.Rejected(logger, Shorten(rawThreadId), (int)status, reason);
        if (await AcceptAsync(context) is not { } socket)
        {
            return;
        }
        using (socket)
        {
            using var timeout = new CancellationTokenSource(RejectTimeout);
            try
            {
                if (errorFrame is not null)
                {
                    await socket.SendAsync(errorFrame, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                }
                // CloseAsync waits for the client's answer (discarding anything it still sends); the timeout cuts a silent peer.
                await socket.CloseAsync(status, reason, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                socket.Abort();
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
