using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansChat.TestSupport;
using OrleansChat.WebFront.Delivery;

namespace OrleansChat.UnitTests.Delivery;

/// <summary>A <see cref="ThreadStream"/> over a fake log and a fake clock, recording what it releases.</summary>
public sealed class StreamScenario : IDisposable
{
    public const long ThreadId = 7;
    public static readonly TimeSpan GapTimeout = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private int _resubscribes;

    public StreamScenario()
    {
        Stream = new ThreadStream(ThreadId, Log, Released.Add, () => Interlocked.Increment(ref _resubscribes), Time,
            new StreamTimings(GapTimeout, RetryDelay), NullLogger.Instance);
    }

    public FakeThreadLog Log { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public EventWaiter<ThreadEvent> Released { get; } = new();

    public ThreadStream Stream { get; }

    public int Resubscribes => Volatile.Read(ref _resubscribes);

    public static ChatMessage Message(long seq) =>
        new(1000 + seq, ThreadId, seq, new UserRef(1, "client1"), $"m{seq}", "text", null, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), null, false, null);

    public static ThreadEventBatch Batch(long epoch, long number, params ThreadEvent[] events) => new(ThreadId, epoch, number, events, false);

    public static MessageCreated Created(long seq) => new(ThreadId, Message(seq));

    /// <summary>The seqs of the released messages, in release order.</summary>
    public long[] ReleasedSeqs() => [.. Released.Items.OfType<MessageCreated>().Select(c => c.Message.Seq)];

    public Task<IReadOnlyList<ThreadEvent>> WaitForSeq(long seq) =>
        Released.WaitUntil(e => e.OfType<MessageCreated>().Any(c => c.Message.Seq == seq), Deadline, $"seq {seq}");

    public void Dispose() => Stream.Dispose();
}
