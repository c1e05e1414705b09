using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Storage;

/// <summary>Silo-wide group commit settings (section "Chat:Storage").</summary>
public sealed class AppendQueueOptions
{
    public const string Section = "Chat:Storage";

    /// <summary>Commits in flight at once; each carries every append that queued meanwhile.</summary>
    public int Writers { get; set; } = 4;

    /// <summary>The most rows one commit carries.</summary>
    public int MaxRowsPerCommit { get; set; } = 2_000;

    /// <summary>
    /// Rows that must be waiting before a commit starts beside one already running; fewer wait for the running commit
    /// to end and then go together. PostgreSQL spends ~0.3 ms of CPU per commit whatever it carries and ~0.05 ms per
    /// row (docs/benchmarks.md): at moderate rates, commits started for every two or three rows cost it more per
    /// message than at the peak. 1 starts a commit whenever a writer is free.
    /// </summary>
    public int OverlapRows { get; set; } = 16;

    /// <summary>The limits, and room in one commit for at least one full thread batch (<c>Chat:Threads:MaxBatchSize</c>).</summary>
    public static SettingRules Rules(AppendQueueOptions o, IConfiguration configuration)
    {
        var threadBatch = configuration.GetValue("Chat:Threads:MaxBatchSize", 500);
        return new SettingRules(Section)
            .Between(nameof(Writers), o.Writers, 1, 64)
            .Between(nameof(MaxRowsPerCommit), o.MaxRowsPerCommit, Math.Max(1, threadBatch), 100_000)
            .Between(nameof(OverlapRows), o.OverlapRows, 1, o.MaxRowsPerCommit);
    }
}

/// <summary>
/// Group commit across threads. Each thread grain already batches its own concurrent sends; this queue then merges
/// the batches of every thread on the silo into one statement per commit, so a silo with a thousand quiet threads
/// pays for a few commits, not a thousand. A combined commit that fails for any reason but a transient outage (one
/// thread's conflict, or a row PostgreSQL refuses) is retried thread by thread, so only the thread at fault sees an
/// error, and that error is the thread's own: a conflict it resolves, a 422 for a row that cannot be stored, or a 503.
/// </summary>
public sealed partial class MessageAppendQueue : IAsyncDisposable
{
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<NewMessage>, Task<IReadOnlyList<AppendedMessage>>> _append;
    private readonly AppendQueueOptions _options;
    private readonly ILogger<MessageAppendQueue> _logger;
    private readonly Task _dispatcher;
    private int _waitingRows;

    public MessageAppendQueue(MessageStore store, IOptions<AppendQueueOptions> options, ILogger<MessageAppendQueue> logger)
        : this(store.AppendAsync, options, logger)
    {
    }

    /// <summary>A queue over any append (tests give it one that answers when they say).</summary>
    public MessageAppendQueue(Func<IReadOnlyList<NewMessage>, Task<IReadOnlyList<AppendedMessage>>> append, IOptions<AppendQueueOptions> options, ILogger<MessageAppendQueue> logger)
    {
        _append = append;
        _options = options.Value;
        _logger = logger;
        _dispatcher = Task.Run(DispatchLoopAsync);
    }

    /// <summary>Rows the dispatcher holds back for a running commit to end (diagnostics and tests).</summary>
    public int WaitingRows => Volatile.Read(ref _waitingRows);

    /// <summary>Appends one thread's batch; completes when it is committed (together with whatever else was queued).</summary>
    public Task<IReadOnlyList<AppendedMessage>> AppendAsync(IReadOnlyList<NewMessage> rows)
    {
        var request = new Request(rows);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ChatException(ChatErrorKind.Unavailable, "The silo is shutting down; retry.");
        }
        return request.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _dispatcher;
    }

    /// <summary>
    /// Starts a commit of everything waiting when no commit runs; beside running ones (up to <c>Writers</c>) only once
    /// <c>OverlapRows</c> rows wait. Otherwise waits for a new request or for a commit to end.
    /// </summary>
    private async Task DispatchLoopAsync()
    {
        var reader = _requests.Reader;
        var waiting = new Queue<Request>();
        var waitingRows = 0;
        var running = new List<Task>(_options.Writers);
        Task<bool>? arrival = null;
        while (true)
        {
            while (reader.TryRead(out var next))
            {
                waiting.Enqueue(next);
                waitingRows += next.Rows.Count;
            }
            running.RemoveAll(t => t.IsCompleted);
            Volatile.Write(ref _waitingRows, waitingRows);
            if (waiting.Count > 0 && running.Count < _options.Writers && (running.Count == 0 || waitingRows >= _options.OverlapRows))
            {
                var batch = TakeBatch(waiting, ref waitingRows);
                running.Add(Task.Run(() => CommitAsync(batch)));
                continue;
            }
            arrival ??= reader.WaitToReadAsync().AsTask();
            var closed = arrival.IsCompleted && !arrival.Result; // no request will come any more
            if (running.Count == 0)
            {
                if (closed)
                {
                    return; // nothing waits (it would have started) and nothing runs
                }
                await arrival;
            }
            else if (closed)
            {
                await Task.WhenAny(running);
            }
            else
            {
                await Task.WhenAny(arrival, Task.WhenAny(running));
            }
            if (arrival.IsCompletedSuccessfully && arrival.Result)
            {
                arrival = null;
            }
        }
    }

    /// <summary>The oldest waiting requests, as many as fit in one commit (always at least one).</summary>
    private List<Request> TakeBatch(Queue<Request> waiting, ref int waitingRows)
    {
        var batch = new List<Request>();
        var rows = 0;
        while (waiting.Count > 0 && (batch.Count == 0 || rows + waiting.Peek().Rows.Count <= _options.MaxRowsPerCommit))
        {
            var request = waiting.Dequeue();
            batch.Add(request);
            rows += request.Rows.Count;
        }
        waitingRows -= rows;
        return batch;
    }

    private async Task CommitAsync(List<Request> batch)
    {
        if (batch.Count == 1)
        {
            await CommitOneAsync(batch[0]);
            return;
        }
        try
        {
            var appended = await _append([.. batch.SelectMany(r => r.Rows)]);
            var byKey = appended.ToDictionary(a => (a.ThreadId, a.Seq));
            foreach (var request in batch)
            {
                request.Completion.TrySetResult([.. request.Rows.Select(r => byKey[(r.ThreadId, r.Seq)])]);
            }
        }
        catch (Exception e) when (!StorageErrors.IsTransient(e))
        {
            // One thread's rows were refused; the statement committed nothing. Retry each thread on its own.
            LogSplit(_logger, batch.Count, e.GetType().Name);
            foreach (var request in batch)
            {
                await CommitOneAsync(request);
            }
        }
        catch (Exception e)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(e);
            }
        }
    }

    private async Task CommitOneAsync(Request request)
    {
        try
        {
            request.Completion.TrySetResult(await _append(request.Rows));
        }
        catch (Exception e) when (e is AppendConflictException or ChatException || StorageErrors.IsTransient(e))
        {
            request.Completion.TrySetException(e);
        }
        catch (Exception e)
        {
            // Nothing a client could fix and not a known outage (e.g. a driver fault): retryable, never a 500.
            LogUnexpected(_logger, e, request.Rows[0].ThreadId);
            request.Completion.TrySetException(new ChatException(ChatErrorKind.Unavailable, "Message storage failed unexpectedly; retry with the same client_message_id."));
        }
    }

    private sealed class Request(IReadOnlyList<NewMessage> rows)
    {
        public IReadOnlyList<NewMessage> Rows { get; } = rows;

        public TaskCompletionSource<IReadOnlyList<AppendedMessage>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending to thread {ThreadId} failed unexpectedly; answered as unavailable")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long threadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A combined commit of {Threads} threads failed ({Error}); committing them one by one")]
    private static partial void LogSplit(ILogger logger, int threads, string error);
}
