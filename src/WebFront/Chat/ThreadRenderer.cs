using OrleansChat.WebFront.Json;
using OrleansChat.WebFront.Presence;

namespace OrleansChat.WebFront.Chat;

/// <summary>Renders threads with their participants' profiles and whether the other one is online (one presence read per call).</summary>
public sealed class ThreadRenderer(ProfileDirectory profiles, PresenceLookup presence)
{
    public async Task<ThreadJson> RenderAsync(ThreadView view) => (await RenderAsync([view]))[0];

    public async Task<IReadOnlyList<ThreadJson>> RenderAsync(IEnumerable<ThreadView> views)
    {
        var all = views.ToArray();
        var online = await presence.OnlineAsync(all);
        var list = new List<ThreadJson>(all.Length);
        foreach (var view in all)
        {
            list.Add(await RenderAsync(view, PresenceLookup.OtherOnline(view, online)));
        }
        return list;
    }

    private async Task<ThreadJson> RenderAsync(ThreadView view, bool otherOnline)
    {
        var info = view.Info;
        var client = await profiles.GetAsync(info.ClientId);
        var freelancer = await profiles.GetAsync(info.FreelancerId);
        return new ThreadJson(
            info.Id,
            new ClientProfileJson(info.ClientId, new UserJson(info.ClientId, client?.Username ?? ""), client?.CompanyName),
            new FreelancerProfileJson(info.FreelancerId, new UserJson(info.FreelancerId, freelancer?.Username ?? ""), freelancer?.Title, freelancer?.Rate),
            info.JobId,
            info.CreatedAt,
            info.LastMessage?.SentAt,
            info.IsActive,
            info.LastMessage is { } last ? new LastMessageJson(last.Id, last.Seq, last.Text, last.SentAt) : null,
            view.UnreadCount,
            info.LastSeq,
            view.IsMuted,
            view.IsArchived,
            view.PinnedAt is not null,
            otherOnline);
    }
}
