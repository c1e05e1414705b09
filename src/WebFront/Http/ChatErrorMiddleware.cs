using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// Turns every refusal into problem+json: validation and domain errors keep their status, an unreachable cluster or
/// database becomes 503 with Retry-After (safe to retry with the same client_message_id), and anything unexpected is
/// logged and answered without leaking internals.
/// </summary>
public sealed partial class ChatErrorMiddleware(RequestDelegate next, ILogger<ChatErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { } problem)
        {
            await Problems.Write(context, problem.Status, problem.Detail, problem.Errors, problem.RetryAfter);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            await Problems.Write(context, StatusCodes.Status500InternalServerError, "Unexpected error.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
