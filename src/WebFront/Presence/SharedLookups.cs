namespace OrleansChat.WebFront.Presence;

/// <summary>
/// Lets many callers share one query for "which of these ids are …": while a query is in flight, the calls that
/// arrive wait for the next one, which asks for all of their ids together. A caller's answer always comes from a
/// query that started after its call (never older than the call), and at most one query is in flight at a time.
/// The answer may hold more ids than a caller asked for; callers test the ids they care about.
/// </summary>
public sealed class SharedLookups(Func<IReadOnlyCollection<long>, Task<IReadOnlySet<long>>> query)
{
    private readonly Lock _gate = new();
    private bool _inFlight;
    private HashSet<long>? _nextIds;
    private TaskCompletionSource<IReadOnlySet<long>>? _next;

    public Task<IReadOnlySet<long>> AskAsync(IReadOnlyCollection<long> ids)
    {
        lock (_gate)
        {
            if (_inFlight)
            {
                (_nextIds ??= []).UnionWith(ids);
                return (_next ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            _inFlight = true;
        }
        return RunAsync(ids);
    }

    private async Task<IReadOnlySet<long>> RunAsync(IReadOnlyCollection<long> ids)
    {
        try
        {
            return await query(ids);
        }
        finally
        {
            StartNext();
        }
    }

    private void StartNext()
    {
        HashSet<long>? ids;
        TaskCompletionSource<IReadOnlySet<long>>? waiting;
        lock (_gate)
        {
            (ids, waiting) = (_nextIds, _next);
            (_nextIds, _next) = (null, null);
            _inFlight = ids is not null;
        }
        if (ids is not null)
        {
            _ = AnswerAsync(ids, waiting!);
        }
    }

    private async Task AnswerAsync(HashSet<long> ids, TaskCompletionSource<IReadOnlySet<long>> waiting)
    {
        try
        {
            waiting.TrySetResult(await RunAsync(ids));
        }
        catch (Exception e)
        {
            waiting.TrySetException(e);
        }
    }
}
