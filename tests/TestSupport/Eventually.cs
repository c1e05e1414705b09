using System.Diagnostics;

namespace OrleansChat.TestSupport;

/// <summary>
/// The one polling helper, for state nobody announces (a row a background job writes, a process that starts
/// listening, a cluster that notices a death): checks a condition until it holds or a deadline passes, then fails
/// with what was awaited. Anything that raises an event is awaited with <see cref="EventWaiter{T}"/> instead.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    public static Task Holds(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        Holds(() => Task.FromResult(condition()), timeout, what, interval);

    public static async Task Holds(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        await Poll(async () => (await condition(), true), timeout, what, interval);

    /// <summary>The first non-null answer of <paramref name="attempt"/>.</summary>
    public static Task<T> Returns<T>(Func<Task<T?>> attempt, TimeSpan timeout, string what, TimeSpan? interval = null)
        where T : struct =>
        Poll(async () => await attempt() is { } value ? (true, value) : (false, default), timeout, what, interval);

    private static async Task<T> Poll<T>(Func<Task<(bool Done, T Value)>> attempt, TimeSpan timeout, string what, TimeSpan? interval)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (done, value) = await attempt();
            if (done)
            {
                return value;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }
}
