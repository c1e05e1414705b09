using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>GET /api/chat/users/{id}/presence/ (spec §8).</summary>
public static class PresenceApi
{
    public static RouteGroupBuilder MapPresenceApi(this RouteGroupBuilder users)
    {
        users.MapGet("/{id:long}/presence/", async (long id, HttpContext http, IClusterClient cluster) =>
        {
            // Outsiders get the same 404 as an unknown user: nothing says whether the user exists.
            var status = await cluster.GetGrain<IPresenceReaderGrain>(0).Read(http.User.ToCaller(), id);
            return Results.Json(new PresenceJson(status.UserId, status.Online, status.LastSeenAt), WireJson.Options);
        }).Answers<PresenceJson>().Problems(404);
        return users;
    }
}
