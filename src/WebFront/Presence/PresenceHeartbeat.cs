using Microsoft.Extensions.Options;

namespace OrleansChat.WebFront.Presence;

/// <summary>
/// Renews this front's presence lease: one call per <see cref="PresenceOptions.HeartbeatInterval"/>, whatever the
/// number of connections or users. Each beat also retries the reports that failed. On a graceful stop the lease is
/// ended at once, so this front's users go offline within one sweep instead of one lease.
/// </summary>
public sealed partial class PresenceHeartbeat(
    PresenceTracker tracker,
    IClusterClient cluster,
    IOptions<PresenceOptions> options,
    ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);

    private IPresenceLeaseGrain Leases => cluster.GetGrain<IPresenceLeaseGrain>(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A failed beat (e.g. its gateway silo just died) is retried soon, well inside the lease, not one interval later.
            var renewed = await BeatAsync(interval);
            await Task.Delay(renewed ? interval : interval / 5, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        tracker.Stop();
        await base.StopAsync(cancellationToken);
        try
        {
            await Leases.Leave(tracker.FrontId).WaitAsync(LeaveTimeout, cancellationToken);
        }
        catch (Exception e)
        {
            // The lease then simply runs out.
            LogLeaveFailed(logger, e);
        }
    }

    private async Task<bool> BeatAsync(TimeSpan timeout)
    {
        var frontId = tracker.FrontId;
        var renewed = false;
        try
        {
            if (await Leases.Heartbeat(frontId).WaitAsync(timeout))
            {
                renewed = true;
            }
            else
            {
                tracker.LeaseLost(frontId);
            }
        }
        catch (Exception e)
        {
            // Missing one beat is what the lease allows for (it is more than two intervals long).
            LogHeartbeatFailed(logger, e, frontId);
        }
        tracker.RetryUnreported();
        return renewed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence heartbeat of {FrontId} failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string frontId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not end the presence lease on stopping; it runs out by itself")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception);
}
