using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Presence;

/// <summary>
/// Runs on every silo: every <see cref="PresenceOptions.SweepInterval"/> it declares dead the fronts whose lease
/// ran out (a compare-and-set on the lease row, so exactly one silo declares each), then tells the users who still
/// have connection rows on a dead front, through their presence grains. The work is claimed per front in the
/// database, so a silo that dies halfway is taken over by another after one lease. Nothing here lives only in
/// memory: any silo can do it, whichever silos come and go.
/// </summary>
public sealed partial class FrontLeaseSweeper(
    FrontLeaseStore leases,
    IGrainFactory grains,
    IOptions<PresenceOptions> options,
    ILogger<FrontLeaseSweeper> logger) : BackgroundService
{
    /// <summary>How long a dead front's row is kept (a zombie's late report is refused by it meanwhile).</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private const int PruneEverySweeps = 1000;
    private const int NotifyParallelism = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        for (var sweep = 1; await timer.WaitForNextTickAsync(stoppingToken); sweep++)
        {
            try
            {
                await SweepAsync(stoppingToken);
                if (sweep % PruneEverySweeps == 0)
                {
                    await leases.PruneAsync(Retention);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database or the cluster is briefly unavailable (or the silo is still starting): next sweep.
                LogSweepFailed(logger, e);
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var lease = options.Value.Lease;
        var (now, live) = await leases.ListLiveAsync();
        foreach (var front in live.Where(f => now is { } n && FrontLease.IsExpired(f.LastHeartbeatAt, n, lease)))
        {
            if (await leases.DeclareDeadAsync(front.FrontId, front.LastHeartbeatAt) is { } deadAt)
            {
                LogDeclaredDead(logger, front.FrontId, front.LastHeartbeatAt, deadAt);
            }
        }
        foreach (var (frontId, deadAt) in await leases.ClaimDeadAsync(reclaimAfter: lease))
        {
            var users = await leases.UsersOnFrontAsync(frontId);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = NotifyParallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(users, parallel, async (userId, _) =>
                await grains.GetGrain<IPresenceGrain>(userId).FrontLost(frontId, deadAt));
            LogUsersTold(logger, frontId, users.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Front {FrontId} missed its lease (last heartbeat {LastHeartbeatAt:o}); declared dead at {DeadAt:o}")]
    private static partial void LogDeclaredDead(ILogger logger, string frontId, DateTime lastHeartbeatAt, DateTime deadAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Told {Users} users that front {FrontId} is gone")]
    private static partial void LogUsersTold(ILogger logger, string frontId, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence lease sweep failed; retrying at the next sweep")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
