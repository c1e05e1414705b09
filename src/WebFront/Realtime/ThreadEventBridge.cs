using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Realtime;

/// <summary>
/// The one link between the grains and this front's sockets. The front subscribes once per thread that has local
/// listeners (and once per user with hub connections), not once per connection; it renews every subscription on a
/// timer, which also re-attaches it to a grain that was reactivated after a silo failure; and it fans each event out
/// to the local SignalR groups and WebSocket listeners. Completeness across gaps comes from seq catch-up.
/// </summary>
public sealed partial class ThreadEventBridge : BackgroundService, IThreadObserver, IUserObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, ThreadListeners> _threads = [];
    private readonly Dictionary<long, int> _users = [];
    private readonly IClusterClient _cluster;
    private readonly IHubContext<ChatHub> _hub;
    private readonly ThreadRenderer _renderer;
    private readonly RealtimeOptions _options;
    private readonly ILogger<ThreadEventBridge> _logger;
    private readonly IThreadObserver _threadReference;
    private readonly IUserObserver _userReference;

    public ThreadEventBridge(IClusterClient cluster, IHubContext<ChatHub> hub, ThreadRenderer renderer, IOptions<RealtimeOptions> options, ILogger<ThreadEventBridge> logger)
    {
        _cluster = cluster;
        _hub = hub;
        _renderer = renderer;
        _options = options.Value;
        _logger = logger;
        // The references hold this object weakly; the bridge is a singleton, so it outlives them.
        _threadReference = cluster.CreateObjectReference<IThreadObserver>(this);
        _userReference = cluster.CreateObjectReference<IUserObserver>(this);
    }

    /// <summary>Registers a hub user (by group) or a socket as a listener and makes sure the grain knows this front.</summary>
    public async Task AddThreadListenerAsync(long threadId, long? hubUserId, IThreadListener? socket)
    {
        lock (_gate)
        {
            if (!_threads.TryGetValue(threadId, out var listeners))
            {
                _threads[threadId] = listeners = new ThreadListeners();
            }
            if (hubUserId is { } userId)
            {
                listeners.HubUsers[userId] = listeners.HubUsers.GetValueOrDefault(userId) + 1;
            }
            if (socket is not null)
            {
                listeners.Sockets.Add(socket);
            }
        }
        // Subscribing on every join (not only the first) means catch-up that follows can never miss a live event.
        await _cluster.GetGrain<IThreadGrain>(threadId).Subscribe(_threadReference);
    }

    public void RemoveThreadListener(long threadId, long? hubUserId, IThreadListener? socket)
    {
        lock (_gate)
        {
            if (!_threads.TryGetValue(threadId, out var listeners))
            {
                return;
            }
            if (hubUserId is { } userId && listeners.HubUsers.TryGetValue(userId, out var count))
            {
                if (count <= 1)
                {
                    listeners.HubUsers.Remove(userId);
                }
                else
                {
                    listeners.HubUsers[userId] = count - 1;
                }
            }
            if (socket is not null)
            {
                listeners.Sockets.Remove(socket);
            }
            if (listeners.HubUsers.Count > 0 || listeners.Sockets.Count > 0)
            {
                return;
            }
            _threads.Remove(threadId);
        }
        _ = IgnoreFailure(_cluster.GetGrain<IThreadGrain>(threadId).Unsubscribe(_threadReference));
    }

    public async Task AddUserListenerAsync(long userId)
    {
        lock (_gate)
        {
            _users[userId] = _users.GetValueOrDefault(userId) + 1;
        }
        await _cluster.GetGrain<IUserGrain>(userId).Subscribe(_userReference);
    }

    public void RemoveUserListener(long userId)
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
        _ = IgnoreFailure(_cluster.GetGrain<IUserGrain>(userId).Unsubscribe(_userReference));
    }

    public Task OnThreadEvents(IReadOnlyList<ThreadEvent> events)
    {
        _ = DispatchAsync(events);
        return Task.CompletedTask;
    }

    public Task OnUserEvents(IReadOnlyList<UserEvent> events)
    {
        _ = DispatchAsync(events);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ResubscribeInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            long[] threadIds, userIds;
            lock (_gate)
            {
                threadIds = [.. _threads.Keys];
                userIds = [.. _users.Keys];
            }
            var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken };
            await Parallel.ForEachAsync(threadIds, options, async (id, _) =>
                await IgnoreFailure(_cluster.GetGrain<IThreadGrain>(id).Subscribe(_threadReference)));
            await Parallel.ForEachAsync(userIds, options, async (id, _) =>
                await IgnoreFailure(_cluster.GetGrain<IUserGrain>(id).Subscribe(_userReference)));
        }
    }

    private async Task DispatchAsync(IReadOnlyList<ThreadEvent> events)
    {
        // Sockets get the whole batch synchronously, before the first await below: otherwise the next batch could
        // reach a socket while this one waits on SignalR, and the socket would see seqs out of order.
        foreach (var e in events)
        {
            IThreadListener[] sockets;
            lock (_gate)
            {
                if (!_threads.TryGetValue(e.ThreadId, out var listeners) || listeners.Sockets.Count == 0)
                {
                    continue;
                }
                sockets = [.. listeners.Sockets];
            }
            var typist = (e as TypingChanged)?.User.Id;
            ChatFrontMetrics.Delivered(sockets.Length);
            foreach (var socket in sockets)
            {
                if (socket.UserId != typist)
                {
                    socket.OnEvent(e);
                }
            }
        }
        foreach (var e in events)
        {
            long[] hubUsers;
            lock (_gate)
            {
                if (!_threads.TryGetValue(e.ThreadId, out var listeners) || listeners.HubUsers.Count == 0)
                {
                    continue;
                }
                hubUsers = [.. listeners.HubUsers.Keys];
            }
            var typist = (e as TypingChanged)?.User.Id;
            var (name, payload) = HubEvents.ToWire(e);
            try
            {
                // Typing is not echoed to the typist: send to the other listening users' groups only.
                var clients = typist is { } t
                    ? _hub.Clients.Groups([.. hubUsers.Where(u => u != t).Select(u => HubEvents.ThreadUserGroup(e.ThreadId, u))])
                    : _hub.Clients.Group(HubEvents.ThreadGroup(e.ThreadId));
                // A client that cannot take a write within the timeout has its connection aborted by SignalR
                // (a cancelled write aborts): it reconnects and catches up, and nobody else waits on it.
                using var slowClient = new CancellationTokenSource(_options.SlowClientTimeout);
                await clients.SendAsync(name, payload, slowClient.Token);
                ChatFrontMetrics.Delivered(hubUsers.Length);
            }
            catch (Exception ex)
            {
                LogDispatchFailed(_logger, ex, e.ThreadId);
            }
        }
    }

    private async Task DispatchAsync(IReadOnlyList<UserEvent> events)
    {
        foreach (var userEvent in events)
        {
            try
            {
                var group = _hub.Clients.Group(HubEvents.UserGroup(userEvent.UserId));
                switch (userEvent)
                {
                    case UnreadCountChanged u:
                        await group.SendAsync(HubEvents.UnreadCount, new UnreadCountPayload(u.TotalUnreadCount, u.ThreadId, u.ThreadUnreadCount));
                        break;
                    case UserThreadUpdated t:
                        await group.SendAsync(HubEvents.ThreadUpdated, await _renderer.RenderAsync(t.View));
                        break;
                }
            }
            catch (Exception ex)
            {
                LogDispatchFailed(_logger, ex, 0);
            }
        }
    }

    private async Task IgnoreFailure(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            // The next renewal tries again; the client catches up by seq.
            LogSubscriptionFailed(_logger, ex);
        }
    }

    private sealed class ThreadListeners
    {
        public Dictionary<long, int> HubUsers { get; } = [];

        public HashSet<IThreadListener> Sockets { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver events of thread {ThreadId}")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, long threadId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscription renewal failed; retrying on the next tick")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);
}
