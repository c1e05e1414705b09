using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// For a front that hosts its own silo, where there is no gateway to lose: when the cluster declares a silo dead, the
/// threads that lived there get new activations that know no observers, so every thread is resubscribed at once
/// (the client-side <see cref="ClusterChangeWatcher"/> does the same on a gateway change).
/// </summary>
public sealed class SiloLossWatcher(IClusterMembershipService membership, ThreadSubscriptions subscriptions) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = false;
                foreach (var member in snapshot.Members.Values)
                {
                    newlyDead |= member.Status == SiloStatus.Dead && dead.Add(member.SiloAddress);
                }
                if (newlyDead)
                {
                    subscriptions.ResubscribeAll();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
