namespace OrleansChat.Grains.Threads;

/// <summary>
/// Typing state lives in memory only. An indicator expires by itself and the expiry is broadcast as
/// <c>is_typing: false</c>; only changes are broadcast, so a client sending a frame per keypress costs nothing.
/// </summary>
public sealed partial class ThreadGrain
{
    private readonly Dictionary<long, (UserRef User, DateTime ExpiresAt)> _typing = [];
    private IGrainTimer? _typingTimer;

    public async Task Typing(Caller caller, bool isTyping)
    {
        var row = await AuthorizeAsync(caller);
        if (!row.IsParticipant(caller.Id))
        {
            return;
        }
        var wasTyping = _typing.ContainsKey(caller.Id);
        if (isTyping)
        {
            _typing[caller.Id] = (caller.ToRef(), DateTime.UtcNow + _options.TypingExpiry);
            _typingTimer ??= this.RegisterGrainTimer(ExpireTypingAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.FromMilliseconds(500),
                Period = TimeSpan.FromMilliseconds(500),
                Interleave = true,
            });
        }
        else
        {
            _typing.Remove(caller.Id);
        }
        if (wasTyping != isTyping)
        {
            Publish([new TypingChanged(ThreadId, caller.ToRef(), isTyping)]);
        }
    }

    private async Task ExpireTypingAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var expired = _typing.Where(t => t.Value.ExpiresAt <= now).Select(t => t.Value.User).ToArray();
        foreach (var user in expired)
        {
            _typing.Remove(user.Id);
        }
        if (_typing.Count == 0)
        {
            _typingTimer?.Dispose();
            _typingTimer = null;
        }
        if (expired.Length > 0)
        {
            Publish([.. expired.Select(u => (ThreadEvent)new TypingChanged(ThreadId, u, false))]);
        }
    }
}
