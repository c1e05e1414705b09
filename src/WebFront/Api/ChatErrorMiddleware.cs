using System.Text.Json;

namespace OrleansChat.WebFront.Api;

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

public sealed record MappedProblem(int Status, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null, TimeSpan? RetryAfter = null);

/// <summary>One mapping from exceptions to statuses, shared by REST, the hub and the WebSocket endpoint.</summary>
public static class ErrorMapping
{
    private static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(2);

    public static MappedProblem? Map(Exception e) => e switch
    {
        RequestProblemException p => new(p.Status, p.Message, p.Errors, p.RetryAfter),
        ChatException c when c.Kind == ChatErrorKind.Unavailable => new(503, c.Message, null, UnavailableRetryAfter),
        ChatException c when c.Field is not null => new((int)c.Kind, $"{c.Field}: {c.Message}", new Dictionary<string, string[]> { [c.Field] = [c.Message] }),
        ChatException c => new((int)c.Kind, c.Message),
        BadHttpRequestException b => new(b.StatusCode, b.Message),
        JsonException => new(400, "The body is not well-formed JSON."),
        // Orleans also reports a call that expired while a failed silo's grains were being placed again as a plain
        // OperationCanceledException: retryable like the others. (A client that went away gets no answer anyway.)
        OrleansException or TimeoutException or OperationCanceledException => new(503, "The chat cluster is unavailable for a moment; retry.", null, UnavailableRetryAfter),
        _ => null,
    };
}
