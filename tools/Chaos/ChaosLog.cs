namespace OrleansChat.Chaos;

/// <summary>An acknowledged send: what the server promised is durable.</summary>
public sealed record Ack(int Thread, string ClientMessageId, long Id, long Seq, DateTime At);

/// <summary>A message a receiver got pushed live (not through catch-up).</summary>
public sealed record LiveDelivery(int Thread, long Seq, DateTime At);

/// <summary>A refused or failed send attempt, grouped by kind ("503+Retry-After", "hub 503", "timeout", ...).</summary>
public sealed record SendError(int Thread, string Kind, DateTime At);

/// <summary>Everything the clients observed during a chaos run, with wall-clock times to line up with the faults.</summary>
public sealed class ChaosLog
{
    public ConcurrentQueue<Ack> Acks { get; } = new();

    public ConcurrentQueue<LiveDelivery> Deliveries { get; } = new();

    public ConcurrentQueue<SendError> Errors { get; } = new();

    /// <summary>Client reconnects (a front died or dropped the connection).</summary>
    public ConcurrentQueue<(int Thread, string Role, DateTime At)> Reconnects { get; } = new();

    public void Acked(int thread, string clientMessageId, long id, long seq) => Acks.Enqueue(new Ack(thread, clientMessageId, id, seq, DateTime.UtcNow));

    public void Delivered(int thread, long seq) => Deliveries.Enqueue(new LiveDelivery(thread, seq, DateTime.UtcNow));

    public void Failed(int thread, string kind) => Errors.Enqueue(new SendError(thread, kind, DateTime.UtcNow));

    public void Reconnected(int thread, string role) => Reconnects.Enqueue((thread, role, DateTime.UtcNow));
}
