using System.Text.Json;

namespace OrleansChat.WebFront.Chat;

/// <summary>A request refused with a status, a human-readable detail and, for validation, errors per field.</summary>
public sealed class RequestProblemException(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    public TimeSpan? RetryAfter { get; init; }

    public static RequestProblemException Invalid(string field, string error) =>
        new(StatusCodes.Status422UnprocessableEntity, $"{field}: {error}", new Dictionary<string, string[]> { [field] = [error] });

    public static RequestProblemException BadQuery(string name) =>
        new(StatusCodes.Status400BadRequest, $"Query parameter '{name}' does not parse.");
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
