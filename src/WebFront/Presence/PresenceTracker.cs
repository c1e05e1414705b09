namespace OrleansChat.WebFront.Presence;

/// <summary>
/// This front's count of open hub and WebSocket connections per user, reported to each user's presence grain
/// (spec §8). Reports carry the absolute count and a version that only grows, at most one in flight per user (later
/// changes coalesce into the next report), so the grain can neither double-count a retry nor go back in time.
/// The front reports under a key of its own; if its lease ended (it was declared dead, e.g. after a long pause), it
/// takes a new key and reports every user again. A report that fails is retried by the heartbeat; opening a
/// connection never fails because of presence.
/// </summary>
public sealed partial class PresenceTracker(IClusterClient cluster, ILogger<PresenceTracker> logger)
{
    private static readonly TimeSpan OpenWaitLimit = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly Dictionary<long, UserConnections> _users = [];
    private string _frontId = NewFrontId();
    private long _version;
    private bool _stopping;

    /// <summary>The key this front reports and heartbeats under.</summary>
    public string FrontId
    {
        get
        {
            lock (_gate)
            {
                return _frontId;
            }
        }
    }

    /// <summary>
    /// Counts a connection; completes once the user's presence grain knows, or the report failed (the heartbeat
    /// retries it), or <see cref="OpenWaitLimit"/> passed (a cluster in trouble must not hold connections up).
    /// </summary>
    public async Task OpenAsync(long userId, string username)
    {
        try
        {
            await Change(userId, username, +1).WaitAsync(OpenWaitLimit);
        }
        catch (TimeoutException)
        {
            // The report carries on in the background.
        }
    }

    /// <summary>Uncounts a connection; the report goes out in the background.</summary>
    public void Close(long userId) => _ = Change(userId, null, -1);

    /// <summary>The lease of <paramref name="frontId"/> ended: report everything again under a new key.</summary>
    public void LeaseLost(string frontId)
    {
        lock (_gate)
        {
            if (frontId != _frontId || _stopping)
            {
                return;
            }
            _frontId = NewFrontId();
            foreach (var user in _users.Values)
            {
                user.ReportedVersion = -1;
            }
            LogLeaseLost(logger, frontId, _frontId, _users.Count);
        }
        RetryUnreported();
    }

    /// <summary>Reports again whatever the cluster does not know yet (after a failure or a new key).</summary>
    public void RetryUnreported()
    {
        List<(long, UserConnections)> pending;
        lock (_gate)
        {
            pending = [.. _users.Where(u => u.Value.ReportedVersion != u.Value.Version && u.Value.Flushing is null).Select(u => (u.Key, u.Value))];
        }
        foreach (var (userId, user) in pending)
        {
            _ = Flush(userId, user);
        }
    }

    /// <summary>The front is stopping: its lease ends as a whole (<see cref="PresenceHeartbeat"/>), so per-user reports stop.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    private Task Change(long userId, string? username, int delta)
    {
        UserConnections? user;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out user))
            {
                if (delta < 0)
                {
                    return Task.CompletedTask;
                }
                _users[userId] = user = new UserConnections();
            }
            user.Connections += delta;
            user.Username = username ?? user.Username;
            user.Version = ++_version;
        }
        return Flush(userId, user);
    }

    private Task Flush(long userId, UserConnections user)
    {
        lock (_gate)
        {
            return user.Flushing ??= FlushLoopAsync(userId, user);
        }
    }

    /// <summary>Sends the newest count until the grain has it; the only sender for this user while it runs.</summary>
    private async Task FlushLoopAsync(long userId, UserConnections user)
    {
        await Task.Yield(); // let Flush store this task before the loop looks at it
        while (true)
        {
            string frontId;
            int connections;
            long version;
            lock (_gate)
            {
                if (user.ReportedVersion == user.Version || _stopping)
                {
                    user.Flushing = null;
                    if (user.Connections == 0 && _users.GetValueOrDefault(userId) == user)
                    {
                        _users.Remove(userId);
                    }
                    return;
                }
                (frontId, connections, version) = (_frontId, user.Connections, user.Version);
            }
            bool accepted;
            try
            {
                accepted = await cluster.GetGrain<IPresenceGrain>(userId).Report(frontId, connections, version, user.Username);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    user.Flushing = null;
                }
                LogReportFailed(logger, e, userId);
                return;
            }
            if (!accepted)
            {
                LeaseLost(frontId);
                continue;
            }
            lock (_gate)
            {
                // A report under a key that has since been replaced counts for nothing: the loop sends it again.
                if (frontId == _frontId)
                {
                    user.ReportedVersion = version;
                }
            }
        }
    }

    private static string NewFrontId() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private sealed class UserConnections
    {
        public int Connections;
        public string Username = "";
        public long Version;
        public long ReportedVersion;
        public Task? Flushing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence lease of {OldFrontId} ended; reporting {Users} users again as {NewFrontId}")]
    private static partial void LogLeaseLost(ILogger logger, string oldFrontId, string newFrontId, int users);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Presence report for user {UserId} failed; the heartbeat retries it")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, long userId);
}
