using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansChat.Chaos;

/// <summary>
/// A hub connection of one user that fails over: when its front dies it connects to the next front in the list
/// (what a real client behind a load balancer does), and runs <paramref name="onConnected"/> (e.g. JoinThread with
/// after_seq) on every new connection.
/// </summary>
public sealed class FailoverHub(IReadOnlyList<Uri> fronts, int firstFront, string token, Action<HubConnection> configure, Func<HubConnection, Task> onConnected) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HubConnection? _connection;
    private int _front = firstFront;

    public int Connects { get; private set; }

    public bool IsConnected => _connection?.State == HubConnectionState.Connected;

    /// <summary>The live connection, (re)connecting first when needed; throws when no front answers this time.</summary>
    public async Task<HubConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { State: HubConnectionState.Connected } live)
        {
            return live;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_connection is { State: HubConnectionState.Connected } again)
            {
                return again;
            }
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
                // The previous front failed us: try the next one first.
                _front++;
            }
            var connection = Build(fronts[_front % fronts.Count]);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await connection.StartAsync(timeout.Token);
                await onConnected(connection).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            catch
            {
                await connection.DisposeAsync();
                _front++;
                throw;
            }
            _connection = connection;
            Connects++;
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    private HubConnection Build(Uri front)
    {
        var builder = HubConnections.Builder(front, token, webSocketsOnly: true).AddJsonProtocol();
        // A killed front resets the socket, but a hung one would not: a 15 s server timeout notices that too.
        builder.Services.Configure<HubConnectionOptions>(o =>
        {
            o.ServerTimeout = TimeSpan.FromSeconds(15);
            o.KeepAliveInterval = TimeSpan.FromSeconds(5);
        });
        var connection = builder.Build();
        configure(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _gate.Dispose();
    }
}
