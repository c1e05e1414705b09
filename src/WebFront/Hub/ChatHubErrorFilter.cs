using Microsoft.AspNetCore.SignalR;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Hub;

/// <summary>Hub errors read like REST's: "404: Not found.", "422: message: must not be empty".</summary>
public sealed partial class ChatHubErrorFilter(ILogger<ChatHubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception e) when (ErrorMapping.Map(e) is { } problem)
        {
            throw new HubException($"{problem.Status}: {problem.Detail}");
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e, invocationContext.HubMethodName);
            throw new HubException("500: Unexpected error.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in hub method {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
