using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>
/// The sends of one thread waiting for its next commit, in arrival order, findable by client_message_id so a
/// concurrent retry joins the send already queued instead of creating a second message. Plain class: the grain's
/// single-threaded turns call it between awaits.
/// </summary>
public sealed class SendQueue
{
    private readonly Queue<PendingSend> _pending = new();
    private readonly Dictionary<(long Sender, string ClientId), PendingSend> _byClientId = [];

    public int Count => _pending.Count;

    /// <summary>The queued or committing send with this client_message_id, if any.</summary>
    public PendingSend? Find(long senderId, string clientId) => _byClientId.GetValueOrDefault((senderId, clientId));

    public PendingSend Enqueue(SendCommand command, ReplyQuote? replyTo = null, IReadOnlyList<AttachmentInfo>? attachments = null)
    {
        var pending = new PendingSend(command) { ReplyTo = replyTo, Attachments = attachments };
        _pending.Enqueue(pending);
        if (command.ClientMessageId is { } id)
        {
            _byClientId[(command.Sender.Id, id)] = pending;
        }
        return pending;
    }

    /// <summary>Up to <paramref name="max"/> sends, oldest first; they stay findable until answered.</summary>
    public List<PendingSend> Take(int max)
    {
        var batch = new List<PendingSend>(Math.Min(_pending.Count, max));
        while (batch.Count < max && _pending.TryDequeue(out var next))
        {
            batch.Add(next);
        }
        return batch;
    }

    public void Answer(PendingSend pending, SendResult result)
    {
        Forget(pending);
        pending.Completion.TrySetResult(result);
    }

    public void Fail(PendingSend pending, Exception error)
    {
        Forget(pending);
        pending.Completion.TrySetException(error);
    }

    /// <summary>Fails every send still queued (not those already taken into a commit).</summary>
    public void FailQueued(Exception error)
    {
        while (_pending.TryDequeue(out var pending))
        {
            Fail(pending, error);
        }
    }

    /// <summary>
    /// The rows of a commit: seqs follow <paramref name="lastSeq"/> in queue order without a gap; every row gets the
    /// same time, microsecond precision (what PostgreSQL stores is what the sender is told), never earlier than the
    /// thread's last message.
    /// </summary>
    public static List<NewMessage> Rows(long threadId, IReadOnlyList<PendingSend> batch, long lastSeq, DateTime lastSentAt, DateTime now)
    {
        now = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
        var sentAt = now > lastSentAt ? now : lastSentAt;
        var rows = new List<NewMessage>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Command;
            var outbox = c.IntegrationEvent is { } e ? new OutboxEvent(batch[i].EventId, e.EventType, e.PayloadJson) : null;
            rows.Add(new NewMessage(threadId, lastSeq + i + 1, c.Sender, c.Text, c.MessageType, c.MetadataJson, c.ClientMessageId, sentAt, outbox, batch[i].ReplyTo, batch[i].Attachments));
        }
        return rows;
    }

    private void Forget(PendingSend pending)
    {
        if (pending.Command.ClientMessageId is { } id && _byClientId.TryGetValue((pending.Command.Sender.Id, id), out var known) && known == pending)
        {
            _byClientId.Remove((pending.Command.Sender.Id, id));
        }
    }
}

/// <summary>One send waiting for its commit; its sender awaits <see cref="Completion"/>.</summary>
public sealed class PendingSend(SendCommand command)
{
    public SendCommand Command { get; } = command;

    /// <summary>Fixed per send, so a retried commit writes the same outbox event id.</summary>
    public Guid EventId { get; } = Guid.NewGuid();

    /// <summary>The parent of a reply, looked up once when the send was accepted.</summary>
    public ReplyQuote? ReplyTo { get; init; }

    /// <summary>The uploads it attaches (checked when the send was accepted; linked in the same statement as the message).</summary>
    public IReadOnlyList<AttachmentInfo>? Attachments { get; init; }

    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
