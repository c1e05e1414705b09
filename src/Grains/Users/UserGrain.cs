using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using OrleansChat.Grains.Fronts;
using OrleansChat.Grains.Hosting;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Users;

/// <summary>
/// A user's profile and inbox. The inbox (thread views with unread counts) is derived state: on activation it is
/// rebuilt from the thread rows in PostgreSQL and each thread grain's view, so a crash between a commit and an
/// inbox update can never leave it wrong for longer than one activation; afterwards threads push changes here.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user", ChatStorageNames.Provider)] IPersistentState<UserState> state,
    ThreadStore threads,
    PinStore pinStore,
    IOptions<UserOptions> options,
    FrontCallBatcher fronts,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private const int RebuildParallelism = 32;

    /// <summary>The most threads one user pins.</summary>
    public const int MaxPins = 20;

    /// <summary>User events are coalesced: a busy user's badges update once per interval, not once per message.</summary>
    private readonly TimeSpan _notifyInterval = options.Value.NotifyInterval;
    private long _lastNotifiedAt;
    private readonly Dictionary<long, ThreadView> _inbox = [];
    private readonly HashSet<long> _changed = [];
    private readonly Dictionary<long, int> _notifiedUnread = [];
    private Dictionary<long, DateTime> _pins = [];
    private ObserverManager<IUserObserver>? _observers;
    private IGrainTimer? _notifyTimer;

    private long UserId => this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pins = await pinStore.ListAsync(UserId);
        var ids = await threads.ListIdsForUserAsync(UserId);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = RebuildParallelism, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current },
            async (threadId, _) =>
            {
                if (await GrainFactory.GetGrain<IThreadGrain>(threadId).GetViewFor(UserId) is { } view)
                {
                    Apply(view);
                }
            });
    }

    public Task<UserProfile?> GetProfile() => Task.FromResult(state.State.Profile);

    public async Task RecordProfile(UserProfile profile)
    {
        if (profile == state.State.Profile)
        {
            return;
        }
        state.State.Profile = profile;
        await state.WriteStateAsync();
    }

    public Task<InboxPage> ListThreads(bool archived, int skip, int take)
    {
        var matching = _inbox.Values.Where(v => v.IsArchived == archived).Select(Pinned).ToArray();
        // Pinned first, newest pin first; then everything else by activity (spec §7).
        var page = matching
            .OrderByDescending(v => v.PinnedAt ?? DateTime.MinValue)
            .ThenByDescending(v => v.Info.ActivityAt)
            .ThenByDescending(v => v.Info.Id)
            .Skip(skip)
            .Take(take)
            .ToArray();
        return Task.FromResult(new InboxPage(matching.Length, page));
    }

    public Task<UnreadSummary> GetUnread()
    {
        var threadsWithUnread = _inbox.Values
            .Where(v => v.UnreadCount > 0)
            .OrderBy(v => v.Info.Id)
            .Select(v => new ThreadUnread(v.Info.Id, v.UnreadCount))
            .ToArray();
        return Task.FromResult(new UnreadSummary(threadsWithUnread.Sum(t => t.UnreadCount), threadsWithUnread));
    }

    public Task OnThreadChanged(ThreadView view)
    {
        var previous = _inbox.GetValueOrDefault(view.Info.Id);
        if (!Apply(view) || _observers is null || _observers.Count == 0)
        {
            return Task.CompletedTask;
        }
        _notifiedUnread.TryAdd(view.Info.Id, previous?.UnreadCount ?? 0);
        _changed.Add(view.Info.Id);
        if (_notifyTimer is not null)
        {
            return Task.CompletedTask; // gathered: the running timer sends it at the end of the interval
        }
        var sinceLast = Stopwatch.GetElapsedTime(_lastNotifiedAt);
        if (_lastNotifiedAt == 0 || sinceLast >= _notifyInterval)
        {
            // The first change after a quiet interval goes out at once (an occasional message updates the badge
            // without delay); a one-way send, so the thread's acknowledgement does not wait for it.
            Notify();
            sinceLast = TimeSpan.Zero;
        }
        // One periodic timer while changes keep coming (disposed on the first quiet tick): a busy user does not
        // register a timer per flush.
        _notifyTimer = this.RegisterGrainTimer(NotifyAsync, new GrainTimerCreationOptions
        {
            DueTime = _notifyInterval - sinceLast,
            Period = _notifyInterval,
            Interleave = true,
        });
        return Task.CompletedTask;
    }

    /// <summary>The interval's timer: sends what gathered, or stops at the first tick with nothing to send.</summary>
    private Task NotifyAsync(CancellationToken cancellationToken)
    {
        if (_changed.Count == 0 || _observers is null || _observers.Count == 0)
        {
            _notifyTimer?.Dispose();
            _notifyTimer = null;
            _changed.Clear();
            return Task.CompletedTask;
        }
        Notify();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Tells connected fronts what changed since the last notification — each changed thread, and the unread counts
    /// where they moved — in one observer call per front.
    /// </summary>
    private void Notify()
    {
        _lastNotifiedAt = Stopwatch.GetTimestamp();
        var total = _inbox.Values.Sum(v => v.UnreadCount);
        var events = new List<UserEvent>(_changed.Count * 2);
        foreach (var threadId in _changed)
        {
            var view = _inbox[threadId];
            events.Add(new UserThreadUpdated(UserId, Pinned(view)));
            if (_notifiedUnread.GetValueOrDefault(threadId) != view.UnreadCount)
            {
                events.Add(new UnreadCountChanged(UserId, threadId, view.UnreadCount, total));
            }
            _notifiedUnread[threadId] = view.UnreadCount;
        }
        _changed.Clear();
        // One-way, gathered per front with this silo's other calls to it (FrontCallBatcher).
        _observers!.Notify(front => fronts.Post(front, events));
    }

    public async Task SetPinned(long threadId, bool pinned)
    {
        if (pinned == _pins.ContainsKey(threadId))
        {
            return; // idempotent: a second pin keeps the first pin's time
        }
        if (pinned && _pins.Count >= MaxPins)
        {
            throw new ChatException(ChatErrorKind.Invalid, $"is_pinned: at most {MaxPins} pinned threads", "is_pinned");
        }
        var at = DateTime.UtcNow;
        at = new DateTime(at.Ticks - (at.Ticks % 10), DateTimeKind.Utc);
        await pinStore.SetAsync(UserId, threadId, pinned ? at : null);
        if (pinned)
        {
            _pins[threadId] = at;
        }
        else
        {
            _pins.Remove(threadId);
        }
    }

    public Task<DateTime?> GetPinnedAt(long threadId) =>
        Task.FromResult(_pins.TryGetValue(threadId, out var at) ? at : (DateTime?)null);

    private ThreadView Pinned(ThreadView view) =>
        view with { PinnedAt = _pins.TryGetValue(view.Info.Id, out var at) ? at : null };

    /// <summary>Spec §8: sent at once (it was already debounced by the subject's presence grain), only to listening fronts.</summary>
    public Task OnPresenceChanged(PresenceChanged change)
    {
        _observers?.Notify(front => fronts.Post(front, [change]));
        return Task.CompletedTask;
    }

    public Task Subscribe(IUserObserver observer)
    {
        (_observers ??= new ObserverManager<IUserObserver>(TimeSpan.FromMinutes(2), logger)).Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IUserObserver observer)
    {
        _observers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Keeps the newest view of each thread; false for a stale one.</summary>
    private bool Apply(ThreadView view)
    {
        if (_inbox.TryGetValue(view.Info.Id, out var known) && known.Version >= view.Version)
        {
            return false;
        }
        _inbox[view.Info.Id] = view;
        return true;
    }
}
