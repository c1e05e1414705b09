using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Grains.Diagnostics;
using OrleansChat.Grains.Fronts;
using OrleansChat.Grains.Hosting;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>
/// One chat thread. Reentrant so that concurrent sends can be committed together (see ThreadGrain.Send.cs);
/// every mutation of read state, unread counts and the message log runs under <see cref="_mutation"/>, and the
/// ordering logic between awaits is synchronous.
/// </summary>
[Reentrant]
public sealed partial class ThreadGrain(
    [PersistentState("thread", ChatStorageNames.Provider)] IPersistentState<ThreadState> state,
    ThreadStore threads,
    MessageStore messages,
    ConversationStore conversation,
    AttachmentLinkStore attachmentLinks,
    MessageAppendQueue appendQueue,
    CommitFaults commitFaults,
    FrontCallBatcher fronts,
    IOptions<ThreadOptions> options,
    ILogger<ThreadGrain> logger) : Grain, IThreadGrain
{
    private readonly SemaphoreSlim _mutation = new(1, 1);
    private readonly ThreadOptions _options = options.Value;
    private readonly ReadState _read = new(() => state.State);
    private ThreadPublisher? _publisher;
    private ThreadRow? _row;
    private Task<ThreadRow?>? _loading;
    private ChatMessage? _last;
    private long _lastSeq;
    private long _version;
    private bool _needsResync;
    private bool _loaded;
    private IGrainTimer? _resyncTimer;

    private long ThreadId => this.GetPrimaryKeyLong();

    private ThreadPublisher Publisher => _publisher ??= new(ThreadId, _options.ObserverExpiry, TimeProvider.System, fronts.Post);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ChatGrainMetrics.ActiveThreads.Add(1);
        await LoadAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ChatGrainMetrics.ActiveThreads.Add(-1);
        // A graceful shutdown lets queued sends commit (and be acknowledged) before the activation goes away.
        if (_flushLoop is { IsCompleted: false } flushing)
        {
            await flushing.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }
        await Task.WhenAll(_acknowledging).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        // Tells the fronts at once that this activation is gone, so they subscribe to the next one and refill from
        // the log instead of waiting for their renewal.
        _publisher?.Publish([], final: true);
    }

    public async Task<ThreadView> GetView(Caller caller)
    {
        var row = await AuthorizeAsync(caller);
        return row.IsParticipant(caller.Id) ? ViewFor(caller.Id) : new ThreadView(Info(), caller.Id, 0, false, false, NextVersion());
    }

    public async Task<ThreadView?> GetViewFor(long userId)
    {
        var row = await LoadAsync();
        return row is not null && row.IsParticipant(userId) ? ViewFor(userId) : null;
    }

    public async Task<ThreadInfo> Authorize(Caller caller)
    {
        await AuthorizeAsync(caller);
        return Info();
    }

    public async Task<MessagePage> GetMessages(Caller caller, long? before, long? after, int limit)
    {
        await AuthorizeAsync(caller);
        var rows = await messages.GetPageAsync(ThreadId, before, after, limit + 1);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            // One row beyond the page was read to learn whether more exist in the direction read.
            rows.RemoveAt(after is not null ? rows.Count - 1 : 0);
        }
        var lastSeq = _lastSeq;
        return new MessagePage([.. (await conversation.DecorateAsync(rows)).Select(m => ViewAs(caller.Id, m))], hasMore, lastSeq);
    }

    public async Task<MessageView> GetMessage(Caller caller, long messageId)
    {
        await AuthorizeAsync(caller);
        var found = await messages.GetByIdsAsync(ThreadId, [messageId]);
        return found.Count == 1 ? ViewAs(caller.Id, await conversation.DecorateAsync(found[0])) : throw ChatException.NotFound();
    }

    public Task<ThreadStreamPosition> Subscribe(IThreadObserver observer) =>
        // No await before answering: registration and position are one turn, so no batch falls between them.
        Task.FromResult(Publisher.Subscribe(observer, _lastSeq));


    public async Task Announce()
    {
        if (await LoadAsync() is not null)
        {
            await UpdateInboxesAsync();
        }
    }

    /// <summary>Loads the thread row and the derived summary once; a thread that does not exist yet is looked up again next time.</summary>
    private async Task<ThreadRow?> LoadAsync()
    {
        if (_row is not null)
        {
            return _row;
        }
        _loading ??= LoadCoreAsync();
        try
        {
            return await _loading;
        }
        finally
        {
            _loading = null;
        }
    }

    private async Task<ThreadRow?> LoadCoreAsync()
    {
        var row = await threads.GetAsync(ThreadId);
        if (row is null)
        {
            return null;
        }
        _read.AddParticipant(row.ClientId);
        _read.AddParticipant(row.FreelancerId);
        _row = row;
        await ResyncAsync();
        return row;
    }

    /// <summary>
    /// Re-derives everything that is not persisted in grain state from the message log: the last seq, the last
    /// message and each participant's unread count. Runs on activation and after any doubtful commit; messages it
    /// finds that this activation never published (a commit whose outcome was unknown) are published now.
    /// </summary>
    private async Task ResyncAsync()
    {
        var last = await messages.GetLastAsync(ThreadId);
        var recovered = _loaded && last is not null && last.Seq > _lastSeq
            ? await conversation.DecorateAsync(await ReadLogAsync(_lastSeq, last.Seq))
            : [];
        foreach (var userId in _read.Participants.ToArray())
        {
            var participant = _read.Of(userId);
            _read.SetUnread(userId, await messages.CountUnreadAsync(ThreadId, userId, participant.ReadCursor, [.. participant.ReadAbove.Keys]));
        }
        // From here on synchronous: the new last seq and the publish of what it adds are one turn.
        _last = last;
        _lastSeq = last?.Seq ?? 0;
        _lastSentAt = last is not null && last.SentAt > _lastSentAt ? last.SentAt : _lastSentAt;
        _needsResync = false;
        _loaded = true;
        if (recovered.Count > 0)
        {
            LogRecovered(logger, ThreadId, recovered.Count);
            Publish([.. recovered.Select(m => new MessageCreated(ThreadId, m))]);
        }
    }

    /// <summary>The messages with seq in (<paramref name="afterSeq"/>, <paramref name="upToSeq"/>], in order.</summary>
    private async Task<List<ChatMessage>> ReadLogAsync(long afterSeq, long upToSeq)
    {
        var found = new List<ChatMessage>();
        while (afterSeq < upToSeq)
        {
            var page = await messages.GetPageAsync(ThreadId, null, afterSeq, 200);
            found.AddRange(page.Where(m => m.Seq <= upToSeq));
            if (page.Count < 200)
            {
                break;
            }
            afterSeq = page[^1].Seq;
        }
        return found;
    }

    /// <summary>Participants and the marketplace's privileged accounts may act; everyone else learns nothing.</summary>
    private async Task<ThreadRow> AuthorizeAsync(Caller caller)
    {
        var row = await LoadAsync();
        return row is null || (!row.IsParticipant(caller.Id) && !caller.IsPrivileged) ? throw ChatException.NotFound() : row;
    }

    private ThreadInfo Info()
    {
        var row = _row!;
        return new ThreadInfo(row.Id, row.ClientId, row.FreelancerId, row.JobId, row.CreatedAt, row.IsActive, _lastSeq,
            _last is null ? null : MessageSummary.Of(_last));
    }

    private ThreadView ViewFor(long userId)
    {
        var participant = _read.Of(userId);
        return new ThreadView(Info(), userId, _read.Unread(userId), participant.IsMuted, participant.IsArchived, NextVersion());
    }

    /// <summary>Versions only grow, also across activations (they start from the clock), so inboxes can drop stale views.</summary>
    private long NextVersion() => _version = Math.Max(_version + 1, DateTime.UtcNow.Ticks);

    private MessageView ViewAs(long viewerId, ChatMessage message) =>
        new(message, _read.IsRead(viewerId, message), _read.IsDelivered(viewerId, message), viewerId);

    private async Task UpdateInboxesAsync()
    {
        var row = _row!;
        try
        {
            await Task.WhenAll(
                GrainFactory.GetGrain<IUserGrain>(row.ClientId).OnThreadChanged(ViewFor(row.ClientId)),
                GrainFactory.GetGrain<IUserGrain>(row.FreelancerId).OnThreadChanged(ViewFor(row.FreelancerId)));
        }
        catch (Exception e)
        {
            // The inbox is derived state: it rebuilds from the threads on its next activation.
            LogInboxUpdateFailed(logger, e, ThreadId);
        }
    }

    private async Task UpdateInboxAsync(long userId)
    {
        if (!_read.IsParticipant(userId))
        {
            return;
        }
        try
        {
            await GrainFactory.GetGrain<IUserGrain>(userId).OnThreadChanged(ViewFor(userId));
        }
        catch (Exception e)
        {
            LogInboxUpdateFailed(logger, e, ThreadId);
        }
    }

    private void Publish(IReadOnlyList<ThreadEvent> events) => Publisher.Publish(events);

    /// <summary>
    /// After a commit whose outcome is unknown, re-reads the log soon even if nobody sends again, so a message that
    /// did commit reaches the listeners (see <see cref="ResyncAsync"/>) without waiting for its sender's retry.
    /// </summary>
    private void ScheduleResync()
    {
        _resyncTimer ??= this.RegisterGrainTimer(async _ =>
        {
            try
            {
                await Mutate(() => Task.FromResult(true)); // Mutate resyncs first when a resync is due
                _resyncTimer?.Dispose();
                _resyncTimer = null;
            }
            catch (Exception e)
            {
                LogResyncFailed(logger, e, ThreadId); // the timer tries again
            }
        }, new GrainTimerCreationOptions { DueTime = TimeSpan.FromMilliseconds(500), Period = TimeSpan.FromSeconds(2), Interleave = true });
    }

    private async Task<T> Mutate<T>(Func<Task<T>> mutation)
    {
        await _mutation.WaitAsync();
        try
        {
            if (_needsResync)
            {
                await ResyncAsync();
            }
            return await mutation();
        }
        finally
        {
            _mutation.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Thread {ThreadId}: {Count} messages of an unacknowledged commit found in the log; publishing them")]
    private static partial void LogRecovered(ILogger logger, long threadId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId}: re-reading the log after a doubtful commit failed; retrying")]
    private static partial void LogResyncFailed(ILogger logger, Exception exception, long threadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the inboxes of thread {ThreadId}")]
    private static partial void LogInboxUpdateFailed(ILogger logger, Exception exception, long threadId);
}
