using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Grains.Users;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>
/// A user's <c>thread_updated</c> / <c>unread_count</c> pacing: the first change after a quiet interval goes out at
/// once, faster ones gather into one notification at the end of the interval. Own cluster, with an interval long
/// enough that "at once" and "gathered" cannot be confused on a slow machine.
/// </summary>
public sealed class UserNotificationTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_first_change_is_notified_at_once_and_faster_ones_gather_into_one_notification()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var cluster = await ChatTestCluster.StartAsync(database, configure: silo =>
            silo.Services.PostConfigure<UserOptions>(o => o.NotifyInterval = Interval));
        var chat = await ChatScenario.CreateAsync(cluster.Client);
        var observer = new RecordingUserObserver();
        await cluster.Client.GetGrain<IUserGrain>(chat.Freelancer.Id).Subscribe(cluster.Client.CreateObjectReference<IUserObserver>(observer));

        // The change happens before the send is acknowledged: a notification that waited for the interval would come
        // about a whole interval after the ack, so half of one after the ack proves it went out at once.
        await chat.Send(chat.ClientUser, "one");
        var first = await observer.Notifications.WaitUntil(n => n.Count >= 1, Interval / 2, "the first change, well before the interval ends");
        Assert.Equal(1, Assert.Single(first[0].OfType<UnreadCountChanged>()).ThreadUnreadCount);

        // Three more inside the interval that the first notification opened: one notification, with the final counts.
        await Task.WhenAll(chat.Send(chat.ClientUser, "two"), chat.Send(chat.ClientUser, "three"), chat.Send(chat.ClientUser, "four"));
        var all = await observer.Notifications.WaitUntil(n => n.Count >= 2, Interval * 3, "the gathered notification");
        var gathered = all[1];
        Assert.Equal(4, Assert.Single(gathered.OfType<UnreadCountChanged>()).ThreadUnreadCount);
        Assert.Equal(4, Assert.Single(gathered.OfType<UserThreadUpdated>()).View.UnreadCount);
        Assert.Equal(2, observer.Notifications.Items.Count);
    }

    private sealed class RecordingUserObserver : IUserObserver
    {
        public EventWaiter<IReadOnlyList<UserEvent>> Notifications { get; } = new();

        public Task OnUserEvents(IReadOnlyList<UserEvent> events)
        {
            Notifications.Add(events);
            return Task.CompletedTask;
        }
    }
}
