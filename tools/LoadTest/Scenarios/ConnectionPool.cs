using OrleansChat.LoadTest.Metrics;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>Opens many connections concurrently, counts them, and routes their events into <see cref="RunMetrics"/>.</summary>
public sealed class ConnectionPool(RunMetrics metrics, ClientProtocol protocol) : IDeliverySink, IAsyncDisposable
{
    private readonly ConcurrentBag<IChatConnection> _open = [];

    public ClientProtocol Protocol { get; } = protocol;

    /// <summary>
    /// A connection of <paramref name="userId"/> to <paramref name="front"/>; WebSocket connections belong to
    /// <paramref name="threadId"/>. Connect failures are counted, not thrown; null then.
    /// </summary>
    public async Task<IChatConnection?> OpenAsync(Uri front, long userId, string token, long threadId, bool join, CancellationToken ct)
    {
        IChatConnection connection = Protocol == ClientProtocol.WebSocket
            ? new WebSocketChatConnection(front, userId, token, threadId, this)
            : new SignalRChatConnection(front, userId, token, Protocol == ClientProtocol.SignalRMessagePack, this);
        try
        {
            await connection.ConnectAsync(ct);
            if (join && threadId > 0)
            {
                await connection.JoinAsync(threadId, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            metrics.ConnectionFailed(ErrorKinds.Of(e));
            await connection.DisposeAsync();
            return null;
        }
        metrics.ConnectionOpened();
        _open.Add(connection);
        return connection;
    }

    /// <summary>Opens every request with at most <paramref name="concurrency"/> handshakes at a time.</summary>
    public async Task<IChatConnection?[]> OpenManyAsync(IReadOnlyList<ConnectRequest> requests, int concurrency, CancellationToken ct)
    {
        var result = new IChatConnection?[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var r = requests[i];
            result[i] = await OpenAsync(r.Front, r.UserId, r.Token, r.ThreadId, r.Join, token);
        });
        return result;
    }

    public void OnChatMessage(long receiverId, ReceivedMessage message, SeqOrderTracker order)
    {
        var (inversions, missing) = order.Observe(message.ThreadId, message.Seq);
        metrics.OrderChecked(inversions, missing);
        metrics.MessageDelivered(message.SenderId != receiverId ? MessageStamp.Parse(message.ClientMessageId) : null);
    }

    public void OnOtherEvent() => metrics.OtherEvent();

    public void OnClosed(Exception? error)
    {
        metrics.ConnectionClosed();
        metrics.Error("connection lost" + (error is null ? "" : ": " + ErrorKinds.Of(error)));
    }

    public async ValueTask DisposeAsync()
    {
        var all = _open.ToArray();
        _open.Clear();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) =>
        {
            try
            {
                await c.DisposeAsync();
            }
            catch (Exception)
            {
                // Closing at the end of a run: nothing left to measure.
            }
        });
    }
}

public sealed record ConnectRequest(Uri Front, long UserId, string Token, long ThreadId, bool Join);
