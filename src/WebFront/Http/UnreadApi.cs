using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

public static class UnreadApi
{
    /// <summary>The caller's total unread, from their inbox grain (muted and archived threads count too).</summary>
    public static RouteGroupBuilder MapUnreadApi(this RouteGroupBuilder chat)
    {
        chat.MapGet("/unread-count/", async (HttpContext http, IClusterClient cluster) =>
        {
            var summary = await cluster.GetGrain<IUserGrain>(http.User.ToCaller().Id).GetUnread();
            return Results.Json(new UnreadCountJson(summary.Total, [.. summary.Threads.Select(t => new UnreadThreadJson(t.ThreadId, t.UnreadCount))]), WireJson.Options);
        }).Answers<UnreadCountJson>();
        return chat;
    }
}
