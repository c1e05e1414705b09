using System.Globalization;
using Microsoft.OpenApi;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>/api/chat/threads: list, create, read, settings, archive, find by participants (spec §3).</summary>
public static class ThreadsApi
{
    public static RouteGroupBuilder MapThreadsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/", ListThreads).Answers<ThreadPageJson>().Problems(400)
            .Query("page", JsonSchemaType.Integer, "1-based page (default 1)")
            .Query("page_size", JsonSchemaType.Integer, "clamped into 1 … 100 (default 20)")
            .Query("archived", JsonSchemaType.Boolean, "true: only the caller's archived threads");
        group.MapPost("/", CreateThread).JsonBody<CreateThreadBody>().Answers<ThreadJson>(201, 200).Problems(403, 429);
        group.MapGet("/by-participants/", FindByParticipants).Answers<ThreadJson>().Problems(400, 403, 404)
            .Query("client", JsonSchemaType.Integer, "the client's user id")
            .Query("freelancer", JsonSchemaType.Integer, "the freelancer's user id")
            .Query("job", JsonSchemaType.Integer, "the job id (absent: the thread without a job)");
        group.MapGet("/{id:long}/", GetThread).Answers<ThreadJson>().Problems(404);
        group.MapPut("/{id:long}/", UpdateThread).JsonBody<UpdateThreadBody>().Answers<ThreadJson>().Problems(404);
        group.MapDelete("/{id:long}/", ArchiveThread).AnswersNoContent().Problems(404);
        return group;
    }

    private static async Task<IResult> ListThreads(HttpContext http, IClusterClient cluster, ThreadRenderer renderer)
    {
        var caller = http.User.ToCaller();
        var page = Math.Max(1, QueryParams.Long(http.Request, "page") ?? 1);
        var pageSize = (int)Math.Clamp(QueryParams.Long(http.Request, "page_size") ?? 20, 1, 100);
        var archived = QueryParams.Bool(http.Request, "archived") ?? false;
        var skip = (int)Math.Min(int.MaxValue, (page - 1) * pageSize);
        var inbox = await cluster.GetGrain<IUserGrain>(caller.Id).ListThreads(archived, skip, pageSize);
        var next = skip + pageSize < inbox.Count ? QueryParams.Link(http.Request, ("page", (page + 1).ToString(CultureInfo.InvariantCulture))) : null;
        var previous = page > 1 ? QueryParams.Link(http.Request, ("page", page == 2 ? null : (page - 1).ToString(CultureInfo.InvariantCulture))) : null;
        return Results.Json(new ThreadPageJson(inbox.Count, next, previous, await renderer.RenderAsync(inbox.Threads)), WireJson.Options);
    }

    private static async Task<IResult> CreateThread(HttpContext http, IClusterClient cluster, ProfileDirectory profiles, ThreadRenderer renderer, SendRateLimiter limits)
    {
        var caller = http.User.ToCaller();
        if (!caller.IsPrivileged)
        {
            // The marketplace's service and admin accounts create threads for everyone (e.g. a job's invitations).
            limits.ThreadCreates.Acquire(caller.Id);
        }
        var fields = new FieldReader(await JsonBody.ReadAsync(http.Request));
        var clientId = fields.Id("client", required: true);
        var freelancerId = fields.Id("freelancer", required: true);
        var jobId = fields.Id("job");
        fields.ThrowIfInvalid();
        if (caller.Id != clientId && caller.Id != freelancerId && !caller.IsPrivileged)
        {
            throw new RequestProblemException(403, "Only one of the two participants, or a service account, creates a thread.");
        }
        await CheckRoleAsync(profiles, fields, "client", clientId!.Value, UserRole.Client);
        await CheckRoleAsync(profiles, fields, "freelancer", freelancerId!.Value, UserRole.Freelancer);
        fields.ThrowIfInvalid();
        var key = IThreadDirectoryGrain.KeyFor(clientId.Value, freelancerId.Value, jobId);
        var result = await cluster.GetGrain<IThreadDirectoryGrain>(key).GetOrCreate();
        var view = await cluster.GetGrain<IThreadGrain>(result.ThreadId).GetView(caller);
        return Results.Json(await renderer.RenderAsync(view), WireJson.Options, statusCode: result.Created ? 201 : 200);
    }

    private static async Task CheckRoleAsync(ProfileDirectory profiles, FieldReader fields, string field, long userId, UserRole role)
    {
        var profile = await profiles.GetFreshAsync(userId);
        if (profile is null)
        {
            fields.Error(field, "unknown user: they have never signed in and were not registered");
        }
        else if (profile.Role != role)
        {
            fields.Error(field, $"user {userId} is not a {role.ToWire()}");
        }
    }

    private static async Task<IResult> FindByParticipants(HttpContext http, IClusterClient cluster, ThreadRenderer renderer)
    {
        var caller = http.User.ToCaller();
        var clientId = QueryParams.Long(http.Request, "client") ?? throw new RequestProblemException(400, "Query parameter 'client' is required.");
        var freelancerId = QueryParams.Long(http.Request, "freelancer") ?? throw new RequestProblemException(400, "Query parameter 'freelancer' is required.");
        var jobId = QueryParams.Long(http.Request, "job");
        if (caller.Id != clientId && caller.Id != freelancerId && !caller.IsPrivileged)
        {
            throw ChatException.NotFound();
        }
        var threadId = await cluster.GetGrain<IThreadDirectoryGrain>(IThreadDirectoryGrain.KeyFor(clientId, freelancerId, jobId)).FindActive()
            ?? throw ChatException.NotFound();
        var view = await cluster.GetGrain<IThreadGrain>(threadId).GetView(caller);
        return Results.Json(await renderer.RenderAsync(view), WireJson.Options);
    }

    private static async Task<IResult> GetThread(long id, HttpContext http, IClusterClient cluster, ThreadRenderer renderer, ConversationCommands conversation)
    {
        var caller = http.User.ToCaller();
        var view = await cluster.GetGrain<IThreadGrain>(id).GetView(caller);
        return Results.Json(await renderer.RenderAsync(await conversation.WithPinAsync(caller, view)), WireJson.Options);
    }

    private static async Task<IResult> UpdateThread(long id, HttpContext http, IClusterClient cluster, ThreadRenderer renderer, ConversationCommands conversation)
    {
        var caller = http.User.ToCaller();
        var thread = cluster.GetGrain<IThreadGrain>(id);
        // Outsiders learn nothing, not even whether their body was valid.
        await thread.Authorize(caller);
        var fields = new FieldReader(await JsonBody.ReadAsync(http.Request));
        var settings = new ThreadSettings(fields.Bool("is_muted"), fields.Bool("is_archived"), fields.Bool("is_active"));
        var pinned = fields.Bool("is_pinned");
        fields.ThrowIfInvalid();
        if (pinned is not null)
        {
            await conversation.SetPinnedAsync(caller, id, pinned.Value);
        }
        var view = await thread.UpdateSettings(caller, settings);
        return Results.Json(await renderer.RenderAsync(await conversation.WithPinAsync(caller, view)), WireJson.Options);
    }

    private static async Task<IResult> ArchiveThread(long id, HttpContext http, IClusterClient cluster)
    {
        await cluster.GetGrain<IThreadGrain>(id).UpdateSettings(http.User.ToCaller(), new ThreadSettings(null, true, null));
        return Results.NoContent();
    }
}
