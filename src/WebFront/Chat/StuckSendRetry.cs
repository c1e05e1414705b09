using Microsoft.Extensions.Options;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// Sends a send with a client_message_id again when it stays unanswered for <see cref="SendRetryOptions.AttemptTimeout"/>,
/// and answers with whichever attempt answers first. Why: a grain call that went to a silo which was then cut off or
/// frozen, or through a gateway connection whose packets are dropped, is lost; Orleans answers it only at its
/// response timeout (10 s), although the silo's threads are active elsewhere seconds earlier (after its death
/// declaration) or the client has moved to another gateway. Safe because the thread grain answers every attempt
/// with the same client_message_id with the one stored message (queued, committed or in the database); earlier
/// attempts are not abandoned, so a slow but healthy first attempt still wins.
/// </summary>
public sealed class StuckSendRetry(IOptions<SendRetryOptions> options, TimeProvider clock)
{
    private readonly SendRetryOptions _options = options.Value;

    /// <summary>
    /// Runs <paramref name="attempt"/>, and again while unanswered if <paramref name="idempotent"/>; the first
    /// attempt to complete decides the outcome (an exception is an answer too: the client retries it).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> attempt, bool idempotent)
    {
        if (!idempotent || _options.AttemptTimeout <= TimeSpan.Zero || _options.MaxAttempts <= 1)
        {
            return await attempt();
        }
        var attempts = new List<Task<T>> { attempt() };
        using var stopTimers = new CancellationTokenSource();
        try
        {
            while (true)
            {
                var pending = new List<Task>(attempts);
                var timer = attempts.Count < _options.MaxAttempts ? Task.Delay(_options.AttemptTimeout, clock, stopTimers.Token) : null;
                if (timer is not null)
                {
                    pending.Add(timer);
                }
                var first = await Task.WhenAny(pending);
                if (first != timer)
                {
                    return await (Task<T>)first;
                }
                attempts.Add(attempt());
            }
        }
        finally
        {
            stopTimers.Cancel();
            // The losers still complete (at the latest at Orleans' response timeout); their failures are not news.
            foreach (var loser in attempts)
            {
                _ = loser.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            }
        }
    }
}
