using System.Globalization;
using Microsoft.OpenApi;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>Messages of a thread (history, send, mark-read) and single messages (read, edit, delete).</summary>
public static class MessagesApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static RouteGroupBuilder MapThreadMessagesApi(this RouteGroupBuilder threads)
    {
        threads.MapGet("/{id:long}/messages/", ListMessages).Answers<MessagePageJson>().Problems(400, 404)
            .Query("limit", JsonSchemaType.Integer, "page size, clamped into 1 … 200 (default 50)")
            .Query("before", JsonSchemaType.Integer, "the messages just below this seq")
            .Query("after", JsonSchemaType.Integer, "the messages just above this seq (catch-up)");
        threads.MapPost("/{id:long}/messages/", SendMessage).JsonBody<SendMessageBody>().Answers<MessageJson>(201, 200).Problems(404, 409, 429);
        threads.MapPost("/{id:long}/mark-read/", MarkRead).JsonBody<MarkReadBody>(optional: true).Answers<MarkReadJson>().Problems(404, 429);
        threads.MapPost("/{id:long}/mark-delivered/", MarkDelivered).JsonBody<MarkDeliveredBody>().Answers<DeliveredJson>().Problems(404, 429);
        return threads;
    }

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder messages)
    {
        messages.MapGet("/{id:long}/", GetMessage).Answers<MessageJson>().Problems(404);
        messages.MapPut("/{id:long}/", EditMessage).JsonBody<EditMessageBody>().Answers<MessageJson>().Problems(403, 404, 429);
        messages.MapDelete("/{id:long}/", DeleteMessage).AnswersNoContent().Problems(403, 404);
        messages.MapGet("/{id:long}/history/", GetHistory).Answers<HistoryJson>().Problems(404);
        messages.MapPut("/{id:long}/reactions/{emoji}/", AddReaction).Answers<ReactionJson[]>().Problems(404, 422, 429);
        messages.MapDelete("/{id:long}/reactions/{emoji}/", RemoveReaction).AnswersNoContent().Problems(404, 422, 429);
        return messages;
    }

    private static async Task<IResult> ListMessages(long id, HttpContext http, IClusterClient cluster)
    {
        var request = http.Request;
        var before = QueryParams.Long(request, "before");
        var after = QueryParams.Long(request, "after");
        var limit = (int)Math.Clamp(QueryParams.Long(request, "limit") ?? DefaultLimit, 1, MaxLimit);
        if (before is not null && after is not null)
        {
            throw new RequestProblemException(400, "Use 'before' or 'after', not both.");
        }
        var page = await cluster.GetGrain<IThreadGrain>(id).GetMessages(http.User.ToCaller(), before, after, limit);
        var results = page.Messages.Select(MessageJson.From).ToArray();
        var limitText = limit.ToString(CultureInfo.InvariantCulture);
        string? previous = null, next = null;
        if (results.Length > 0)
        {
            var first = results[0].Seq;
            var last = results[^1].Seq;
            previous = first > 1 ? QueryParams.Link(request, ("before", Text(first)), ("after", null), ("limit", limitText)) : null;
            next = last < page.LastSeq ? QueryParams.Link(request, ("after", Text(last)), ("before", null), ("limit", limitText)) : null;
        }
        else if (after is not null && after < page.LastSeq)
        {
            next = QueryParams.Link(request, ("after", Text(after.Value)), ("limit", limitText));
        }
        return Results.Json(new MessagePageJson(results, page.HasMore, next, previous), WireJson.Options);
    }

    private static async Task<IResult> SendMessage(long id, HttpContext http, ChatCommands chat)
    {
        var result = await chat.SendAsync(http.User.ToCaller(), id, new FieldReader(await JsonBody.ReadAsync(http.Request)), "rest");
        return Results.Json(MessageJson.From(result.Message, false), WireJson.Options, statusCode: result.Created ? 201 : 200);
    }

    private static async Task<IResult> MarkRead(long id, HttpContext http, ChatCommands chat)
    {
        var result = await chat.MarkReadAsync(http.User.ToCaller(), id, new FieldReader(await JsonBody.ReadAsync(http.Request, optional: true)));
        return Results.Json(new MarkReadJson(result.Marked, result.UnreadCount), WireJson.Options);
    }

    private static async Task<IResult> GetMessage(long id, HttpContext http, ChatCommands chat) =>
        Results.Json(MessageJson.From(await chat.GetMessageAsync(http.User.ToCaller(), id)), WireJson.Options);

    private static async Task<IResult> EditMessage(long id, HttpContext http, ChatCommands chat) =>
        Results.Json(MessageJson.From(await chat.EditAsync(http.User.ToCaller(), id, new FieldReader(await JsonBody.ReadAsync(http.Request)))), WireJson.Options);

    private static async Task<IResult> DeleteMessage(long id, HttpContext http, ChatCommands chat)
    {
        await chat.DeleteAsync(http.User.ToCaller(), id);
        return Results.NoContent();
    }

    private static async Task<IResult> MarkDelivered(long id, HttpContext http, ConversationCommands conversation) =>
        Results.Json(await conversation.MarkDeliveredAsync(http.User.ToCaller(), id, new FieldReader(await JsonBody.ReadAsync(http.Request))), WireJson.Options);

    private static async Task<IResult> GetHistory(long id, HttpContext http, ConversationCommands conversation) =>
        Results.Json(await conversation.HistoryAsync(http.User.ToCaller(), id), WireJson.Options);

    // Both take no body (spec §7): whatever is sent is ignored.
    private static async Task<IResult> AddReaction(long id, string emoji, HttpContext http, ConversationCommands conversation) =>
        Results.Json(await conversation.ReactAsync(http.User.ToCaller(), id, emoji, add: true), WireJson.Options);

    private static async Task<IResult> RemoveReaction(long id, string emoji, HttpContext http, ConversationCommands conversation)
    {
        await conversation.ReactAsync(http.User.ToCaller(), id, emoji, add: false);
        return Results.NoContent();
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
