using Orleans.Runtime;

namespace OrleansChat.Silo.Hosting;

/// <summary>
/// GET /cluster/members: the membership table as this silo's management grain sees it, so an operator
/// (<c>chatctl status</c>) can tell which silos the cluster counts as active, joining or dead without a Redis client.
/// </summary>
public static class ClusterMembersEndpoint
{
    public static IEndpointRouteBuilder MapClusterMembers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cluster/members", async (IGrainFactory grains, CancellationToken ct) =>
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            // onlyActive: false so dead and joining entries show up too; a killed silo stays listed as Dead.
            var hosts = await management.GetDetailedHosts(onlyActive: false).WaitAsync(TimeSpan.FromSeconds(10), ct);
            return Results.Ok(hosts
                .OrderBy(h => h.SiloAddress.Endpoint.Port)
                .Select(h => new
                {
                    silo = h.SiloAddress.ToParsableString(),
                    name = h.SiloName,
                    status = h.Status.ToString(),
                    started = h.StartTime,
                    i_am_alive = h.IAmAliveTime,
                    suspected_by = h.SuspectTimes?.Count ?? 0,
                }));
        });
        return app;
    }
}
