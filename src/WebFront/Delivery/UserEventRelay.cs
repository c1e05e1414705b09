using Microsoft.AspNetCore.SignalR;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// User-level events (unread counts, thread updates) for this front's hub users: one <c>UserGrain</c> subscription
/// per user with connections here, renewed with the thread subscriptions, fanned out to the user's group.
/// </summary>
public sealed partial class UserEventRelay : IUserObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _users = [];
    private readonly IClusterClient _cluster;
    private readonly IHubClients _hub;
    private readonly ThreadRenderer _renderer;
    private readonly ILogger<UserEventRelay> _logger;
    private readonly IUserObserver _reference;

    public UserEventRelay(IClusterClient cluster, IHubClients hub, ThreadRenderer renderer, ILogger<UserEventRelay> logger)
    {
        _cluster = cluster;
        _hub = hub;
        _renderer = renderer;
        _logger = logger;
        // The reference holds this object weakly; the relay is a singleton, so it outlives it.
        _reference = cluster.CreateObjectReference<IUserObserver>(this);
    }

    public async Task AddUserAsync(long userId)
    {
        lock (_gate)
        {
            _users[userId] = _users.GetValueOrDefault(userId) + 1;
        }
        await _cluster.GetGrain<IUserGrain>(userId).Subscribe(_reference);
    }

    public void RemoveUser(long userId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var count))
            {
                return;
            }
            if (count > 1)
            {
                _users[userId] = count - 1;
                return;
            }
            _users.Remove(userId);
        }
        _ = IgnoreFailure(_cluster.GetGrain<IUserGrain>(userId).Unsubscribe(_reference));
    }

    public Task OnUserEvents(IReadOnlyList<UserEvent> events)
    {
        _ = DispatchAsync(events);
        return Task.CompletedTask;
    }

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        long[] userIds;
        lock (_gate)
        {
            userIds = [.. _users.Keys];
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(userIds, parallel, async (id, _) =>
            await IgnoreFailure(_cluster.GetGrain<IUserGrain>(id).Subscribe(_reference)));
    }

    private async Task DispatchAsync(IReadOnlyList<UserEvent> events)
    {
        // The flush's threads are rendered together: one presence read for all their other_online flags.
        var threads = await RenderThreadsAsync(events);
        foreach (var userEvent in events)
        {
            try
            {
                var group = _hub.Group(HubGroups.User(userEvent.UserId));
                switch (userEvent)
                {
                    case UnreadCountChanged u:
                        await group.SendAsync(WireEvents.UnreadCount, new UnreadCountPayload(u.TotalUnreadCount, u.ThreadId, u.ThreadUnreadCount));
                        break;
                    case UserThreadUpdated t:
                        await group.SendAsync(WireEvents.ThreadUpdated, threads.TryGetValue(t, out var json) ? json : await _renderer.RenderAsync(t.View));
                        break;
                    case PresenceChanged p:
                        await group.SendAsync(WireEvents.Presence, new PresencePayload(new UserJson(p.Subject.Id, p.Subject.Username), p.Online, p.LastSeenAt));
                        break;
                }
            }
            catch (Exception ex)
            {
                LogDispatchFailed(_logger, ex, userEvent.UserId);
            }
        }
    }

    private async Task<Dictionary<UserThreadUpdated, ThreadJson>> RenderThreadsAsync(IReadOnlyList<UserEvent> events)
    {
        var rendered = new Dictionary<UserThreadUpdated, ThreadJson>(ReferenceEqualityComparer.Instance);
        var updates = events.OfType<UserThreadUpdated>().ToArray();
        if (updates.Length == 0)
        {
            return rendered;
        }
        try
        {
            var threads = await _renderer.RenderAsync(updates.Select(u => u.View));
            for (var i = 0; i < updates.Length; i++)
            {
                rendered[updates[i]] = threads[i];
            }
        }
        catch (Exception ex)
        {
            // Each event then tries alone (and fails alone).
            LogDispatchFailed(_logger, ex, updates[0].UserId);
        }
        return rendered;
    }

    private async Task IgnoreFailure(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            // The next renewal tries again.
            LogSubscriptionFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver user events of user {UserId}")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, long userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User subscription failed; retrying on the next renewal")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);
}
