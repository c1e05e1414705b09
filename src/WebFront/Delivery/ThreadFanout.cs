using Microsoft.AspNetCore.SignalR;
using OrleansChat.WebFront.Diagnostics;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// This front's receivers of one thread: raw sockets (each with its own ordered queue) and hub users (through the
/// thread's SignalR group). It is fed by the thread's <see cref="ThreadStream"/> one event at a time, in order, and
/// hands each event on without waiting: socket queues take it at once, and group sends issued in order are written
/// to each connection in that order.
/// </summary>
public sealed partial class ThreadFanout(long threadId, IHubClients hub, TimeSpan slowClientTimeout, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, int> _hubUsers = [];
    private IThreadListener[] _sockets = [];

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _sockets.Length == 0 && _hubUsers.Count == 0;
            }
        }
    }

    public void AddSocket(IThreadListener socket)
    {
        lock (_gate)
        {
            _sockets = [.. _sockets, socket];
        }
    }

    public void RemoveSocket(IThreadListener socket)
    {
        lock (_gate)
        {
            _sockets = [.. _sockets.Where(s => s != socket)];
        }
    }

    public void AddHubUser(long userId)
    {
        lock (_gate)
        {
            _hubUsers[userId] = _hubUsers.GetValueOrDefault(userId) + 1;
        }
    }

    public void RemoveHubUser(long userId)
    {
        lock (_gate)
        {
            if (_hubUsers.TryGetValue(userId, out var count))
            {
                if (count <= 1)
                {
                    _hubUsers.Remove(userId);
                }
                else
                {
                    _hubUsers[userId] = count - 1;
                }
            }
        }
    }

    /// <summary>Called by the stream under its lock, in order: must not block.</summary>
    public void Deliver(ThreadEvent e)
    {
        IThreadListener[] sockets;
        long[] hubUsers;
        lock (_gate)
        {
            sockets = _sockets;
            hubUsers = _hubUsers.Count == 0 ? [] : [.. _hubUsers.Keys];
        }
        // Typing is not echoed to the typist.
        var typist = (e as TypingChanged)?.User.Id;
        var delivered = 0;
        foreach (var socket in sockets)
        {
            if (socket.UserId != typist)
            {
                socket.OnEvent(e);
                delivered++;
            }
        }
        if (hubUsers.Length > 0 && WireEvents.IsPerViewer(e))
        {
            // Per-viewer payloads go to each user's group of this thread, issued in order like the thread's group.
            foreach (var user in hubUsers)
            {
                if (WireEvents.Encode(e, user) is { } own)
                {
                    _ = SendAsync(hub.Group(HubGroups.ThreadUser(threadId, user)), own);
                }
            }
            delivered += hubUsers.Length;
        }
        else if (hubUsers.Length > 0 && WireEvents.Encode(e) is { } wire)
        {
            var clients = typist is { } t
                ? hub.Groups([.. hubUsers.Where(u => u != t).Select(u => HubGroups.ThreadUser(threadId, u))])
                : hub.Group(HubGroups.Thread(threadId));
            _ = SendAsync(clients, wire);
            delivered += hubUsers.Length;
        }
        ChatFrontMetrics.Delivered(delivered);
    }

    private async Task SendAsync(IClientProxy clients, WireEvent wire)
    {
        try
        {
            // A connection that cannot take a write within the timeout is aborted by SignalR (a cancelled write
            // aborts): it reconnects and catches up, and nobody else waits on it.
            using var slowClient = new CancellationTokenSource(slowClientTimeout);
            await clients.SendAsync(wire.Name, wire.Payload, slowClient.Token);
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, ex, threadId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver an event of thread {ThreadId} to its hub group")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, long threadId);
}
