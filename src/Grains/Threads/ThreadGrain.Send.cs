using Microsoft.Extensions.Logging;
using System.Diagnostics;
using OrleansChat.Grains.Diagnostics;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>
/// Sending: calls queue up and one flush loop commits whatever has queued while the previous commit was in
/// flight, as one statement (group commit). Seqs are assigned in queue order just before the commit and only
/// advance when it succeeds, so they stay gap-free; the unique indexes on (thread, seq) and
/// (thread, sender, client_message_id) make any second writer or retry visible instead of silent.
/// </summary>
public sealed partial class ThreadGrain
{
    private const int MaxCommitAttempts = 4;
    private readonly Queue<PendingSend> _pending = new();
    private readonly Dictionary<(long Sender, string ClientId), PendingSend> _pendingByClientId = [];
    private readonly Dictionary<(long Sender, string ClientId), ChatMessage> _recentByClientId = [];
    private Task? _flushLoop;

    /// <summary>Committed batches whose senders wait for the inbox update (see <see cref="ApplyCommittedAsync"/>).</summary>
    private readonly List<Task> _acknowledging = [];
    private DateTime _lastSentAt;

    public async Task<SendResult> Send(SendCommand command)
    {
        var row = await AuthorizeAsync(command.Sender);
        CheckMayPost(row, command);
        if (command.ClientMessageId is { } clientId)
        {
            var key = (command.Sender.Id, clientId);
            if (_recentByClientId.TryGetValue(key, out var known))
            {
                return new SendResult(known, false);
            }
            if (_pendingByClientId.TryGetValue(key, out var inFlight))
            {
                // A concurrent retry of a send still being committed: same message, not created twice. The queue it
                // waits in must be drained by a running flush loop, or the retry would wait forever.
                EnsureFlushing();
                return (await inFlight.Completion.Task) with { Created = false };
            }
        }
        if (!row.IsActive)
        {
            throw new ChatException(ChatErrorKind.Conflict, "This thread is not active.");
        }
        var pending = new PendingSend(command);
        _pending.Enqueue(pending);
        if (command.ClientMessageId is { } id)
        {
            _pendingByClientId[(command.Sender.Id, id)] = pending;
        }
        EnsureFlushing();
        return await pending.Completion.Task;
    }

    private void EnsureFlushing()
    {
        if ((_flushLoop is null || _flushLoop.IsCompleted) && _pending.Count > 0)
        {
            _flushLoop = FlushLoopAsync();
        }
    }

    private static void CheckMayPost(ThreadRow row, SendCommand command)
    {
        switch (command.MessageType)
        {
            case "text":
                return;
            case "system" when command.Sender.IsPrivileged:
                return;
            case "system":
                throw new ChatException(ChatErrorKind.Forbidden, "Only service and admin accounts post system messages.", "message_type");
            case "payment" when command.IntegrationEvent is not null && command.Sender.Id != row.ClientId:
                throw new ChatException(ChatErrorKind.Forbidden, "Only the thread's client initiates a payment.");
            case "payment" or "dispute" or "job_update" when command.IntegrationEvent is not null:
                return;
            default:
                throw new ChatException(ChatErrorKind.Invalid, "message_type must be 'text' here; other types come from the integration endpoints.", "message_type");
        }
    }

    private async Task FlushLoopAsync()
    {
        while (_pending.Count > 0)
        {
            try
            {
                await Mutate(async () =>
                {
                    var batch = new List<PendingSend>(Math.Min(_pending.Count, _options.MaxBatchSize));
                    while (batch.Count < _options.MaxBatchSize && _pending.TryDequeue(out var next))
                    {
                        batch.Add(next);
                    }
                    await CommitAsync(batch);
                    return true;
                });
            }
            catch (Exception e)
            {
                // CommitAsync never throws, so this is Mutate's resync after a failed commit (the database is still
                // down). Without this the loop ended with sends queued and nobody to commit them: their senders, and
                // every retry with the same client_message_id, waited forever — a thread stuck after an outage.
                FailQueued(e);
            }
        }
    }

    /// <summary>Fails every queued send (retryably when the cause is transient); their senders retry later.</summary>
    private void FailQueued(Exception cause)
    {
        var error = cause is ChatException || !StorageErrors.IsTransient(cause) ? cause : ChatException.Unavailable("Message storage");
        LogCommitFailed(logger, cause, ThreadId, _pending.Count);
        while (_pending.TryDequeue(out var pending))
        {
            Forget(pending);
            pending.Completion.TrySetException(error);
        }
    }

    private async Task CommitAsync(List<PendingSend> batch)
    {
        try
        {
            for (var attempt = 1; batch.Count > 0; attempt++)
            {
                var rows = AssignSeqs(batch);
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var appended = await appendQueue.AppendAsync(rows);
                    ChatGrainMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    ChatGrainMetrics.CommitBatchSize.Record(rows.Count);
                    ChatGrainMetrics.MessagesCommitted.Add(rows.Count);
                    await ApplyCommittedAsync(batch, rows, appended);
                    return;
                }
                catch (ChatException refused) when (refused.Kind == ChatErrorKind.Invalid && batch.Count > 1)
                {
                    // PostgreSQL refused a row of this batch (and so stored none of it): commit the sends one at a
                    // time, so only the sender of the row it refuses gets the error.
                    foreach (var pending in batch.ToArray())
                    {
                        await CommitAsync([pending]);
                    }
                    return;
                }
                catch (AppendConflictException conflict) when (attempt < MaxCommitAttempts)
                {
                    LogAppendConflict(logger, ThreadId, conflict.Conflict, attempt);
                    if (conflict.Conflict == AppendConflict.ClientMessageId)
                    {
                        await ResolveRetriesAsync(batch);
                    }
                    else
                    {
                        await ResyncAsync();
                    }
                }
            }
        }
        catch (Exception e)
        {
            // The commit may or may not have happened (e.g. the connection died after COMMIT was sent):
            // re-derive the seq from the log before the next one. Senders retry with their client_message_id.
            _needsResync = true;
            var error = e is ChatException || !StorageErrors.IsTransient(e)
                ? e
                : ChatException.Unavailable("Message storage");
            LogCommitFailed(logger, e, ThreadId, batch.Count);
            foreach (var pending in batch)
            {
                Forget(pending);
                pending.Completion.TrySetException(error);
            }
        }
    }

    private List<NewMessage> AssignSeqs(List<PendingSend> batch)
    {
        // Microsecond precision: what PostgreSQL stores is what the sender is told. Never earlier than the last message.
        var now = DateTime.UtcNow;
        now = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var sentAt = now > _lastSentAt ? now : _lastSentAt;
        var rows = new List<NewMessage>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Command;
            var outbox = c.IntegrationEvent is { } e ? new OutboxEvent(batch[i].EventId, e.EventType, e.PayloadJson) : null;
            rows.Add(new NewMessage(ThreadId, _lastSeq + i + 1, c.Sender, c.Text, c.MessageType, c.MetadataJson, c.ClientMessageId, sentAt, outbox));
        }
        return rows;
    }

    /// <summary>Some sends in the batch were stored before (retries after a reactivation): answer them with the original.</summary>
    private async Task ResolveRetriesAsync(List<PendingSend> batch)
    {
        var withIds = batch.Where(p => p.Command.ClientMessageId is not null).ToArray();
        var stored = await messages.FindByClientIdsAsync(ThreadId,
            [.. withIds.Select(p => p.Command.Sender.Id)], [.. withIds.Select(p => p.Command.ClientMessageId!)]);
        foreach (var original in stored)
        {
            var key = (original.Sender.Id, original.ClientMessageId!);
            RememberClientId(original);
            foreach (var retry in batch.Where(p => p.Command.Sender.Id == key.Item1 && p.Command.ClientMessageId == key.Item2).ToArray())
            {
                batch.Remove(retry);
                Forget(retry);
                retry.Completion.TrySetResult(new SendResult(original, false));
            }
        }
        // The log may also have grown (the original's commit was never acknowledged here).
        await ResyncAsync();
    }

    private async Task ApplyCommittedAsync(List<PendingSend> batch, List<NewMessage> rows, IReadOnlyList<AppendedMessage> appended)
    {
        var ids = appended.ToDictionary(a => a.Seq, a => a.Id);
        var created = new List<ThreadEvent>(rows.Count);
        var results = new SendResult[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var message = rows[i].ToMessage(ids[rows[i].Seq]);
            _lastSeq = message.Seq;
            _last = message;
            _lastSentAt = message.SentAt;
            foreach (var participant in state.State.Participants.Keys)
            {
                if (participant != message.Sender.Id)
                {
                    _unread[participant] = _unread.GetValueOrDefault(participant) + 1;
                }
            }
            RememberClientId(message);
            created.Add(new MessageCreated(ThreadId, message));
            results[i] = new SendResult(message, true);
        }
        // Live listeners first (one-way), then the inboxes, so that a sender who lists threads after the ack sees the
        // message. Only this batch's senders wait for its inbox update: the flush loop goes on to the next commit
        // meanwhile (the views are taken now and versioned, so an inbox keeps the newest whatever order they land in).
        await Publish(created);
        _acknowledging.RemoveAll(t => t.IsCompleted);
        _acknowledging.Add(AcknowledgeAfterInboxUpdateAsync(UpdateInboxesAsync(), batch, results));
    }

    private async Task AcknowledgeAfterInboxUpdateAsync(Task inboxUpdate, List<PendingSend> batch, SendResult[] results)
    {
        await inboxUpdate; // never throws: a failed inbox update is logged, the inbox rebuilds on activation
        for (var i = 0; i < batch.Count; i++)
        {
            Forget(batch[i]);
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private void RememberClientId(ChatMessage message)
    {
        if (message.ClientMessageId is null)
        {
            return;
        }
        if (_recentByClientId.Count >= _options.RecentClientIdCapacity)
        {
            // Forgetting is safe: the unique index finds older retries; this only saves a round trip.
            _recentByClientId.Clear();
        }
        _recentByClientId[(message.Sender.Id, message.ClientMessageId)] = message;
    }

    private void Forget(PendingSend pending)
    {
        if (pending.Command.ClientMessageId is { } id)
        {
            _pendingByClientId.Remove((pending.Command.Sender.Id, id));
        }
    }

    private sealed class PendingSend(SendCommand command)
    {
        public SendCommand Command { get; } = command;

        /// <summary>Fixed per send, so a retried commit writes the same outbox event id.</summary>
        public Guid EventId { get; } = Guid.NewGuid();

        public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Thread {ThreadId}: append refused by {Conflict} (attempt {Attempt}); recovering")]
    private static partial void LogAppendConflict(ILogger logger, long threadId, AppendConflict conflict, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId}: commit of {Count} messages failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, long threadId, int count);
}
