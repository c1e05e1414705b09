using System.Globalization;
using Microsoft.OpenApi;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// <c>GET /api/chat/search/?q=&amp;thread=&amp;before=&amp;limit=</c> (spec §8): the caller's matching messages, newest
/// first, keyset paged by id. The query runs in the silo (<see cref="ISearchGrain"/>); this only reads parameters.
/// </summary>
public static class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder chat)
    {
        chat.MapGet("/search/", Search).Answers<SearchPageJson>().Problems(400, 404, 422)
            .Query("q", JsonSchemaType.String, "1 … 200 code points; every word must match, the last also as a prefix")
            .Query("thread", JsonSchemaType.Integer, "only this thread")
            .Query("before", JsonSchemaType.Integer, "only messages with a smaller id (keyset paging)")
            .Query("limit", JsonSchemaType.Integer, "clamped into 1 … 50 (default 20)");
        return chat;
    }

    private static async Task<IResult> Search(HttpContext http, IClusterClient cluster)
    {
        var request = http.Request;
        var caller = http.User.ToCaller();
        var threadId = QueryParams.Long(request, "thread");
        var before = QueryParams.Long(request, "before");
        var limit = (int)Math.Clamp(QueryParams.Long(request, "limit") ?? SearchRequest.DefaultLimit, 1, SearchRequest.MaxLimit);
        // q's rules (1 … 200 code points after trimming, else 422) are the grain's.
        var query = request.Query["q"].FirstOrDefault() ?? "";
        var page = await cluster.GetGrain<ISearchGrain>(0).Search(caller, new SearchRequest(query, threadId, before, limit));
        // Read state lives in each thread's grain; a search does not ask up to 50 of them (docs/decisions.md).
        // Likewise is_delivered is not computed here (false); reactions' me is the caller's own.
        var results = page.Results.Select(m => MessageJson.From(m, isRead: false, isDelivered: false, viewerId: caller.Id)).ToArray();
        var next = page.HasMore && results.Length > 0
            ? QueryParams.Link(request, ("before", results[^1].Id.ToString(CultureInfo.InvariantCulture)), ("limit", limit.ToString(CultureInfo.InvariantCulture)))
            : null;
        return Results.Json(new SearchPageJson(results, next), WireJson.Options);
    }
}
