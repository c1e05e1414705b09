namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// Trips when a client sends more than <c>framesPerSecond</c> frames in each of <c>seconds</c> consecutive
/// one-second windows ("sustained"). Bursts are fine: the seed's client sends two typing frames per keypress, and a
/// backlog read at once after a slow operation lands in one window only. Not thread-safe: one receive loop owns it.
/// </summary>
public sealed class FloodGuard(int framesPerSecond, int seconds)
{
    private long _window = long.MinValue;
    private int _count;
    private int _overLimitStreak;

    /// <summary>Counts one frame received at <paramref name="elapsed"/> (monotonic); true when the client floods.</summary>
    public bool Register(TimeSpan elapsed)
    {
        var window = elapsed.Ticks / TimeSpan.TicksPerSecond;
        if (window != _window)
        {
            // The streak continues only if the window just closed was over the limit and directly precedes this one.
            _overLimitStreak = _count > framesPerSecond && window == _window + 1 ? _overLimitStreak + 1 : 0;
            _window = window;
            _count = 0;
        }
        _count++;
        return _count > framesPerSecond && _overLimitStreak >= seconds - 1;
    }
}
