using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using OrleansChat.TestSupport;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.UnitTests.Connections;

/// <summary>A send lost with its silo is sent again, only when it carries a client_message_id, and the first answer wins.</summary>
public sealed class StuckSendRetryTests
{
    private readonly FakeTimeProvider _clock = new();

    private StuckSendRetry Retry(int maxAttempts = 4) =>
        new(Options.Create(new SendRetryOptions { AttemptTimeout = TimeSpan.FromSeconds(2), MaxAttempts = maxAttempts }), _clock);

    /// <summary>Attempts the test answers by hand, in the order they were made.</summary>
    private sealed class Attempts
    {
        private readonly EventWaiter<TaskCompletionSource<int>> _made = new();

        public IReadOnlyList<TaskCompletionSource<int>> Made => _made.Items;

        public int Count => _made.Items.Count;

        public Task<int> Next()
        {
            var attempt = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _made.Add(attempt);
            return attempt.Task;
        }

        public Task Reached(int count) => _made.WaitUntil(m => m.Count >= count, TimeSpan.FromSeconds(10), $"attempt {count}");
    }

    [Fact]
    public async Task An_unanswered_idempotent_send_is_sent_again_after_the_attempt_timeout_and_the_new_answer_is_taken()
    {
        var attempts = new Attempts();
        var send = Retry().RunAsync(attempts.Next, idempotent: true);
        Assert.Equal(1, attempts.Count);

        _clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(1, attempts.Count);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        await attempts.Reached(2);

        attempts.Made[1].SetResult(42);
        Assert.Equal(42, await send);
    }

    [Fact]
    public async Task A_slow_first_attempt_that_answers_after_a_retry_started_still_wins()
    {
        var attempts = new Attempts();
        var send = Retry().RunAsync(attempts.Next, idempotent: true);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await attempts.Reached(2);

        attempts.Made[0].SetResult(7);
        Assert.Equal(7, await send);
    }

    [Fact]
    public async Task A_send_without_client_message_id_is_never_sent_twice()
    {
        var attempts = new Attempts();
        var send = Retry().RunAsync(attempts.Next, idempotent: false);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, attempts.Count);
        attempts.Made[0].SetResult(1);
        Assert.Equal(1, await send);
    }

    [Fact]
    public async Task An_attempt_Orleans_reports_lost_is_replaced_at_once()
    {
        var attempts = new Attempts();
        var send = Retry().RunAsync(attempts.Next, idempotent: true);

        attempts.Made[0].SetException(new SiloUnavailableException("the gateway is unreachable"));
        await attempts.Reached(2);
        attempts.Made[1].SetResult(5);
        Assert.Equal(5, await send);
    }

    [Fact]
    public async Task A_refusal_by_the_thread_is_the_answer_and_is_not_retried()
    {
        var attempts = new Attempts();
        var send = Retry().RunAsync(attempts.Next, idempotent: true);

        attempts.Made[0].SetException(ChatException.Unavailable("storage is away"));
        await Assert.ThrowsAsync<ChatException>(() => send);
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task No_more_than_MaxAttempts_are_made_and_then_a_lost_attempt_is_the_answer()
    {
        var attempts = new Attempts();
        var send = Retry(maxAttempts: 3).RunAsync(attempts.Next, idempotent: true);
        for (var made = 2; made <= 3; made++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await attempts.Reached(made);
        }
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(3, attempts.Count);

        attempts.Made[2].SetException(new TimeoutException("lost"));
        await Assert.ThrowsAsync<TimeoutException>(() => send);
    }
}
