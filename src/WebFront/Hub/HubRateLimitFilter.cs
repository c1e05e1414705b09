using Microsoft.AspNetCore.SignalR;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;

namespace OrleansChat.WebFront.Hub;

/// <summary>
/// Per-user limits on hub invocations (spec §3's 429, as "429: …"): every method takes a token of the caller's hub
/// bucket, MarkRead also one of the mark-read bucket REST and the WebSocket share (SendMessage takes its send token
/// in the hub method). Typing has a bucket of its own, and an excess typing update is dropped silently: the
/// invocation succeeds and nothing is broadcast. Runs inside <see cref="ChatHubErrorFilter"/>, which words the refusal.
/// </summary>
public sealed class HubRateLimitFilter(SendRateLimiter limits) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var userId = invocationContext.Context.User!.ToCaller().Id;
        switch (invocationContext.HubMethodName)
        {
            case nameof(ChatHub.Typing):
                if (!limits.Typing.TryAcquire(userId, out _))
                {
                    return ValueTask.FromResult<object?>(null);
                }
                break;
            case nameof(ChatHub.MarkRead):
                limits.HubInvocations.Acquire(userId);
                limits.MarkReads.Acquire(userId);
                break;
            default:
                limits.HubInvocations.Acquire(userId);
                break;
        }
        return next(invocationContext);
    }
}
