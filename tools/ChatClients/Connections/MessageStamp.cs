namespace OrleansChat.ChatClients;

/// <summary>
/// client_message_id = "{run}.{n}.{stamp}": unique per send (so sends are never deduplicated) and carrying the
/// send's Stopwatch timestamp, so any receiver in this process measures send → receive on the same clock.
/// </summary>
public sealed class MessageStamp
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    public string Next(long stampTimestamp) =>
        string.Create(CultureInfo.InvariantCulture, $"{_run}.{Interlocked.Increment(ref _next)}.{stampTimestamp}");

    public static long? Parse(string? clientMessageId)
    {
        if (clientMessageId is null)
        {
            return null;
        }
        var dot = clientMessageId.LastIndexOf('.');
        return dot > 0 && long.TryParse(clientMessageId.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp) ? stamp : null;
    }
}
