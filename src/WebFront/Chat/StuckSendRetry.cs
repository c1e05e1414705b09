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
    /// Runs <paramref name="attempt"/>, and again while unanswered if <paramref name="idempotent"/>; the first answer
    /// decides the outcome. An attempt Orleans reports as lost (response timeout, rejected or undeliverable message)
    /// is no answer: another attempt starts at once while attempts remain. Any other failure (a refusal, a storage
    /// outage's 503) is the answer.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> attempt, bool idempotent)
    {
        if (!idempotent || _options.AttemptTimeout <= TimeSpan.Zero || _options.MaxAttempts <= 1)
        {
            return await attempt();
        }
        var made = new List<Task<T>> { attempt() };
        var pending = new List<Task>(made);
        using var stopTimers = new CancellationTokenSource();
        try
        {
            while (true)
            {
                var timer = made.Count < _options.MaxAttempts ? Task.Delay(_options.AttemptTimeout, clock, stopTimers.Token) : null;
                var first = await Task.WhenAny(timer is null ? pending : [.. pending, timer]);
                if (first != timer)
                {
                    var answered = (Task<T>)first;
                    if (answered.IsCompletedSuccessfully || !IsLost(answered.Exception?.InnerException) || made.Count >= _options.MaxAttempts)
                    {
                        return await answered;
                    }
                    pending.Remove(answered);
                }
                // a timer that did not fire is left behind; the finally block stops them all
                var next = attempt();
                made.Add(next);
                pending.Add(next);
            }
        }
        finally
        {
            stopTimers.Cancel();
            // The losers still complete (at the latest at Orleans' response timeout); their failures are not news.
            foreach (var loser in made)
            {
                _ = loser.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            }
        }
    }

    /// <summary>Orleans lost the call (not the grain refusing it): trying again may reach the thread another way.</summary>
    private static bool IsLost(Exception? failure) =>
        failure is TimeoutException or Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException;
}
