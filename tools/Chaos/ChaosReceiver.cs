using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.Chaos;

/// <summary>
/// The freelancer of one thread: joined over the hub, records every seq it gets live, and after any reconnect
/// joins again with after_seq = the end of its gap-free prefix, so the catch-up fills whatever it missed.
/// </summary>
public sealed class ChaosReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, (long Id, string? ClientMessageId)> _seen = new();
    private readonly FailoverHub _hub;
    private readonly ChaosLog _log;
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;
    private int _conflicts;
    private int _redelivered;

    public ChaosReceiver(int index, long threadId, IReadOnlyList<Uri> fronts, string token, ChaosLog log)
    {
        Index = index;
        ThreadId = threadId;
        _log = log;
        _hub = new FailoverHub(fronts, index + 1, token, c => c.On<JsonElement>("chat_message", m =>
        {
            if (m.GetProperty("thread").GetInt64() == ThreadId && Record(m))
            {
                _log.Delivered(Index, m.GetProperty("seq").GetInt64());
            }
        }), JoinAsync);
    }

    public int Index { get; }

    public long ThreadId { get; }

    /// <summary>Messages that came only through catch-up (missed live while something was down).</summary>
    public int CaughtUp { get; private set; }

    /// <summary>The same seq arrived with a different message id: would be a duplicate seq.</summary>
    public int Conflicts => _conflicts;

    public int Redelivered => _redelivered;

    public int Reconnects => Math.Max(0, _hub.Connects - 1);

    public IReadOnlyDictionary<long, (long Id, string? ClientMessageId)> Seen => _seen;

    public async Task StartAsync(CancellationToken ct)
    {
        await _hub.ConnectionAsync(ct);
        _watch = Task.Run(WatchAsync, CancellationToken.None);
    }

    /// <summary>Final catch-up after the load stopped: connect if needed and join with after_seq once more.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        var connection = await _hub.ConnectionAsync(ct);
        await JoinAsync(connection);
    }

    /// <summary>Keeps the connection alive: a dead front is replaced by the next one, with catch-up on join.</summary>
    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(500, _stop.Token);
                if (!_hub.IsConnected)
                {
                    await _hub.ConnectionAsync(_stop.Token);
                    _log.Reconnected(Index, "receiver");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // No front answered this round; try again.
            }
        }
    }

    private async Task JoinAsync(HubConnection connection)
    {
        var missed = await connection.InvokeAsync<JsonElement>("JoinThread", ThreadId, (long?)Prefix());
        foreach (var m in missed.EnumerateArray())
        {
            if (Record(m))
            {
                CaughtUp++;
            }
        }
    }

    /// <summary>The highest seq up to which nothing is missing.</summary>
    private long Prefix()
    {
        long s = 0;
        while (_seen.ContainsKey(s + 1))
        {
            s++;
        }
        return s;
    }

    /// <summary>True when the seq is new to this receiver.</summary>
    private bool Record(JsonElement m)
    {
        var seq = m.GetProperty("seq").GetInt64();
        var id = m.GetProperty("id").GetInt64();
        var clientId = m.TryGetProperty("client_message_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (_seen.TryAdd(seq, (id, clientId)))
        {
            return true;
        }
        if (_seen[seq].Id != id)
        {
            Interlocked.Increment(ref _conflicts);
        }
        else
        {
            Interlocked.Increment(ref _redelivered);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        await _hub.DisposeAsync();
        _stop.Dispose();
    }
}
