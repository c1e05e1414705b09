using OrleansChat.TestSupport;
using OrleansChat.WebFront.Delivery;

namespace OrleansChat.UnitTests.Delivery;

/// <summary>A message log in memory; can fail the next reads, and counts them.</summary>
public sealed class FakeThreadLog : IThreadLog
{
    private readonly Lock _gate = new();
    private readonly List<ChatMessage> _messages = [];
    private int _failures;
    private TaskCompletionSource? _hold;

    /// <summary>One entry per read (its afterSeq), failed ones included.</summary>
    public EventWaiter<long> ReadLog { get; } = new();

    public int Reads => ReadLog.Items.Count;

    public void Append(params ChatMessage[] messages)
    {
        lock (_gate)
        {
            _messages.AddRange(messages);
        }
    }

    public void FailNext(int reads)
    {
        lock (_gate)
        {
            _failures = reads;
        }
    }

    /// <summary>The next read waits until the returned source completes (a fill still in progress).</summary>
    public TaskCompletionSource HoldNextRead()
    {
        lock (_gate)
        {
            return _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public async Task<IReadOnlyList<ChatMessage>> ReadAfterAsync(long threadId, long afterSeq, int limit)
    {
        Task held;
        lock (_gate)
        {
            ReadLog.Add(afterSeq);
            held = _hold?.Task ?? Task.CompletedTask;
            _hold = null;
        }
        await held;
        return await Answer(afterSeq, limit);
    }

    private Task<IReadOnlyList<ChatMessage>> Answer(long afterSeq, int limit)
    {
        lock (_gate)
        {
            if (_failures > 0)
            {
                _failures--;
                return Task.FromException<IReadOnlyList<ChatMessage>>(new TimeoutException("the thread's silo is away"));
            }
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. _messages.Where(m => m.Seq > afterSeq).OrderBy(m => m.Seq).Take(limit)]);
        }
    }
}
