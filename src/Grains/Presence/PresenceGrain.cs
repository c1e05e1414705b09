using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Presence;

/// <summary>
/// One user's presence (see <see cref="IPresenceGrain"/> for where its state lives). Every change is written to
/// PostgreSQL before the call returns and only then applied here, so the activation always equals its rows; a new
/// activation (after a silo restart) reads them back, counts connections of fronts that died meanwhile as closed,
/// and owes an event if the state differs from what the last one announced.
/// </summary>
public sealed partial class PresenceGrain(
    PresenceStore store,
    IOptions<PresenceOptions> options,
    TimeProvider time,
    ILogger<PresenceGrain> logger) : Grain, IPresenceGrain
{
    private readonly PresenceCounts _counts = new();
    private PresenceDebounce _debounce = null!;
    private string _username = "";
    private DateTime? _lastSeenAt;
    private IGrainTimer? _announceTimer;

    private long UserId => this.GetPrimaryKeyLong();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (rows, user) = await store.LoadAsync(UserId);
        _username = user?.Username ?? "";
        _lastSeenAt = user?.LastSeenAt;
        _debounce = new PresenceDebounce(options.Value.Debounce, user?.AnnouncedOnline ?? false);
        foreach (var row in rows)
        {
            _counts.Apply(row.FrontId, row.Connections, row.Version);
        }
        // Fronts that died while no activation listened: their rows go now, as the sweeper's call would have done.
        foreach (var row in rows.Where(r => r.FrontDeadAt is not null))
        {
            await LoseAsync(row.FrontId, row.FrontDeadAt!.Value);
        }
        // An event may be owed: the last one announced something else (e.g. its silo died inside the debounce wait).
        Schedule();
    }

    public async Task<bool> Report(string frontId, int connections, long version, string username)
    {
        switch (_counts.Classify(frontId, version))
        {
            case ReportKind.Refused:
                return false;
            case ReportKind.Stale:
                return true;
        }
        var wasOnline = _counts.IsOnline;
        if (connections > 0)
        {
            if (!await store.SetConnectionsAsync(UserId, frontId, connections, version, username))
            {
                LogLeaseEnded(logger, frontId, UserId);
                _counts.Lose(frontId);
                return false;
            }
            _username = username;
        }
        else if (_counts.Connections(frontId) > 0)
        {
            var leavesOffline = _counts.LeavesOffline(frontId, 0);
            if (await store.RemoveConnectionsAsync(UserId, frontId, leavesOffline, null) is { } seenAt)
            {
                _lastSeenAt = seenAt;
            }
        }
        _counts.Apply(frontId, connections, version);
        if (wasOnline != _counts.IsOnline)
        {
            Schedule();
        }
        return true;
    }

    public async Task FrontLost(string frontId, DateTime deadAt)
    {
        var wasOnline = _counts.IsOnline;
        await LoseAsync(frontId, deadAt);
        if (wasOnline != _counts.IsOnline)
        {
            LogFrontLost(logger, frontId, UserId);
            Schedule();
        }
    }

    public Task<PresenceStatus> Get() => Task.FromResult(new PresenceStatus(UserId, _counts.IsOnline, _lastSeenAt));

    /// <summary>Counts the front's connections as closed at <paramref name="deadAt"/>; its row goes (whether or not this activation knew it).</summary>
    private async Task LoseAsync(string frontId, DateTime deadAt)
    {
        var leavesOffline = _counts.Connections(frontId) > 0 && _counts.LeavesOffline(frontId, 0);
        if (await store.RemoveConnectionsAsync(UserId, frontId, leavesOffline, deadAt) is { } seenAt)
        {
            _lastSeenAt = seenAt;
        }
        _counts.Lose(frontId);
    }

    /// <summary>Starts (or restarts, or cancels) the debounce wait for the current state.</summary>
    private void Schedule()
    {
        if (_debounce.Changed(_counts.IsOnline, Now) is not { } due)
        {
            return; // undone within the wait: nothing to announce
        }
        var wait = Max(due - Now);
        if (_announceTimer is null)
        {
            _announceTimer = this.RegisterGrainTimer(AnnounceAsync, new GrainTimerCreationOptions { DueTime = wait, Period = Timeout.InfiniteTimeSpan });
        }
        else
        {
            _announceTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Tells the other participants of the user's threads who are online (their hub connections, through their user
    /// grains), then records what was announced. Only online contacts are asked, so an offline one costs nothing.
    /// </summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        var online = _counts.IsOnline;
        if (!_debounce.IsDue(online, Now))
        {
            if (_debounce.DueAt is { } due)
            {
                _announceTimer?.Change(Max(due - Now), Timeout.InfiniteTimeSpan); // woke early
            }
            return;
        }
        try
        {
            var subject = new UserRef(UserId, _username);
            var contacts = await store.OnlineContactsAsync(UserId);
            await Task.WhenAll(contacts.Select(c => GrainFactory.GetGrain<IUserGrain>(c).OnPresenceChanged(new PresenceChanged(c, subject, online, _lastSeenAt))));
            await store.SetAnnouncedAsync(UserId, online);
            _debounce.MarkAnnounced(online);
            LogAnnounced(logger, UserId, online, contacts.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage or cluster trouble: try again one debounce later (a repeated event is harmless, a lost one is not).
            LogAnnounceFailed(logger, e, UserId);
            _announceTimer?.Change(_debounce.Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Max(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Information, Message = "Front {FrontId} reported for user {UserId} after its lease ended; refused")]
    private static partial void LogLeaseEnded(ILogger logger, string frontId, long userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Front {FrontId} was lost: user {UserId} went offline")]
    private static partial void LogFrontLost(ILogger logger, string frontId, long userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Presence of user {UserId} announced (online {Online}) to {Contacts} online contacts")]
    private static partial void LogAnnounced(ILogger logger, long userId, bool online, int contacts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing the presence of user {UserId} failed; retrying")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, long userId);
}
