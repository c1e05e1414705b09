using Microsoft.Extensions.Options;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// Renews this front's grain subscriptions on a timer shorter than the grains' observer expiry. Each renewal also
/// answers the thread's position, so a missed tail or a new activation is noticed here at the latest.
/// </summary>
public sealed class SubscriptionRenewal(ThreadSubscriptions threads, UserEventRelay users, IOptions<RealtimeOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResubscribeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await threads.RenewAsync(stoppingToken);
            await users.RenewAsync(stoppingToken);
        }
    }
}
