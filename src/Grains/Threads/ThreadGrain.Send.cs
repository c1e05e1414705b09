using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansChat.Grains.Diagnostics;
using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>
/// Sending: calls queue up (<see cref="SendQueue"/>) and one flush loop commits whatever has queued while the
/// previous commit was in flight, as one statement (group commit). Seqs are assigned in queue order just before the
/// commit and only advance when it succeeds, so they stay gap-free; the unique indexes on (thread, seq) and
/// (thread, sender, client_message_id) make any second writer or retry visible instead of silent.
/// </summary>
public sealed partial class ThreadGrain
{
    private const int MaxCommitAttempts = 4;
    private readonly SendQueue _sends = new();
    private RecentClientIds? _recentClientIds;
    private Task? _flushLoop;

    /// <summary>Committed batches whose senders wait for the inbox update (see <see cref="ApplyCommittedAsync"/>).</summary>
    private readonly List<Task> _acknowledging = [];
    private DateTime _lastSentAt;

    private RecentClientIds RecentIds => _recentClientIds ??= new(_options.RecentClientIdBytes);

    public async Task<SendResult> Send(SendCommand command)
    {
        var row = await AuthorizeAsync(command.Sender);
        MessageTypes.CheckMayPost(command, row.ClientId);
        if (command.ClientMessageId is { } clientId)
        {
            if (RecentIds.TryGet(command.Sender.Id, clientId, out var known) && await FindOrNullAsync(known.MessageId) is { } original)
            {
                return new SendResult(await conversation.DecorateAsync(original), false);
            }
            if (_sends.Find(command.Sender.Id, clientId) is { } inFlight)
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
        // One lookup by primary key, only for a reply: the quote travels with the new message's event.
        var replyTo = command.ReplyTo is { } parentId
            ? ReplyQuote.Of(await FindOrNullAsync(parentId) ?? throw new ChatException(ChatErrorKind.Invalid, "reply_to: not a message of this thread", "reply_to"))
            : null;
        var (attachments, retried) = await CheckAttachmentsAsync(command);
        if (retried is not null)
        {
            return retried;
        }
        var pending = _sends.Enqueue(command, replyTo, attachments);
        EnsureFlushing();
        return await pending.Completion.Task;
    }

    private void EnsureFlushing()
    {
        if ((_flushLoop is null || _flushLoop.IsCompleted) && _sends.Count > 0)
        {
            _flushLoop = FlushLoopAsync();
        }
    }

    private async Task FlushLoopAsync()
    {
        while (_sends.Count > 0)
        {
            try
            {
                await Mutate(async () =>
                {
                    await CommitAsync(_sends.Take(_options.MaxBatchSize));
                    return true;
                });
            }
            catch (Exception e)
            {
                // CommitAsync never throws, so this is Mutate's resync after a failed commit (the database is still
                // down). Without this the loop ended with sends queued and nobody to commit them: their senders, and
                // every retry with the same client_message_id, waited forever — a thread stuck after an outage.
                LogCommitFailed(logger, e, ThreadId, _sends.Count);
                _sends.FailQueued(AsSendError(e));
            }
        }
    }

    /// <summary>What a sender is told when a commit failed: retryable (503) when the cause is transient.</summary>
    private static Exception AsSendError(Exception cause) =>
        cause is ChatException || !StorageErrors.IsTransient(cause) ? cause : ChatException.Unavailable("Message storage");

    private async Task CommitAsync(List<PendingSend> batch)
    {
        try
        {
            for (var attempt = 1; batch.Count > 0; attempt++)
            {
                var rows = SendQueue.Rows(ThreadId, batch, _lastSeq, _lastSentAt, DateTime.UtcNow);
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var appended = await appendQueue.AppendAsync(rows);
                    commitFaults.AfterCommit(ThreadId);
                    ChatGrainMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    ChatGrainMetrics.CommitBatchSize.Record(rows.Count);
                    ChatGrainMetrics.MessagesCommitted.Add(rows.Count);
                    ApplyCommitted(batch, rows, appended);
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
            ScheduleResync();
            LogCommitFailed(logger, e, ThreadId, batch.Count);
            var error = AsSendError(e);
            foreach (var pending in batch)
            {
                _sends.Fail(pending, error);
            }
        }
    }

    /// <summary>Some sends in the batch were stored before (retries after a reactivation): answer them with the original.</summary>
    private async Task ResolveRetriesAsync(List<PendingSend> batch)
    {
        var withIds = batch.Where(p => p.Command.ClientMessageId is not null).ToArray();
        var stored = await conversation.DecorateAsync(await messages.FindByClientIdsAsync(ThreadId,
            [.. withIds.Select(p => p.Command.Sender.Id)], [.. withIds.Select(p => p.Command.ClientMessageId!)]));
        foreach (var original in stored)
        {
            RecentIds.Remember(original.Sender.Id, original.ClientMessageId!, original.Id, original.Seq);
            foreach (var retry in batch.Where(p => p.Command.Sender.Id == original.Sender.Id && p.Command.ClientMessageId == original.ClientMessageId).ToArray())
            {
                batch.Remove(retry);
                _sends.Answer(retry, new SendResult(original, false));
            }
        }
        // The log may also have grown (the original's commit was never acknowledged here).
        await ResyncAsync();
    }

    private void ApplyCommitted(List<PendingSend> batch, List<NewMessage> rows, IReadOnlyList<AppendedMessage> appended)
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
            _read.Sent(message);
            if (message.ClientMessageId is { } clientId)
            {
                RecentIds.Remember(message.Sender.Id, clientId, message.Id, message.Seq);
            }
            created.Add(new MessageCreated(ThreadId, message));
            results[i] = new SendResult(message, true);
        }
        // Live listeners first (one-way, in the same turn as the new last seq), then the inboxes, so that a sender
        // who lists threads after the ack sees the message. Only this batch's senders wait for its inbox update: the
        // flush loop goes on to the next commit meanwhile (views are versioned, so an inbox keeps the newest).
        Publish(created);
        _acknowledging.RemoveAll(t => t.IsCompleted);
        _acknowledging.Add(AcknowledgeAfterInboxUpdateAsync(UpdateInboxesAsync(), batch, results));
    }

    private async Task AcknowledgeAfterInboxUpdateAsync(Task inboxUpdate, List<PendingSend> batch, SendResult[] results)
    {
        await inboxUpdate; // never throws: a failed inbox update is logged, the inbox rebuilds on activation
        for (var i = 0; i < batch.Count; i++)
        {
            _sends.Answer(batch[i], results[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Thread {ThreadId}: append refused by {Conflict} (attempt {Attempt}); recovering")]
    private static partial void LogAppendConflict(ILogger logger, long threadId, AppendConflict conflict, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId}: commit of {Count} messages failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, long threadId, int count);
}
