using Microsoft.AspNetCore.SignalR;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;

namespace OrleansChat.WebFront.Hub;

/// <summary>
/// Per-user limits on hub invocations (spec §3's 429, as "429: …"): every method but Typing takes a token of the
/// caller's hub bucket. The command limits (sends, mark-reads, typing) are taken by <see cref="ChatCommands"/>, the
/// same for every transport; Typing is left to it alone, because an excess typing update is dropped, never refused.
/// Runs inside <see cref="ChatHubErrorFilter"/>, which words the refusal.
/// </summary>
public sealed class HubRateLimitFilter(SendRateLimiter limits) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName != nameof(ChatHub.Typing))
        {
            limits.HubInvocations.Acquire(invocationContext.Context.User!.ToCaller().Id);
        }
        return next(invocationContext);
    }
}
