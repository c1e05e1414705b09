using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansChat.Chaos;

/// <summary>
/// The client of one thread, sending at a fixed pace. Each message is retried with the same client_message_id until
/// it is acknowledged (or the run ends), as the API promises that is safe. Over the hub, or REST for every 4th
/// thread so the 503 + Retry-After answers are seen too. Either fails over to the next front when its front dies.
/// </summary>
public sealed class ChaosSender(int index, long threadId, IReadOnlyList<Uri> fronts, string token, string run, TimeSpan interval, ChaosLog log) : IAsyncDisposable
{
    private readonly bool _rest = index % 4 == 3;
    private readonly FailoverHub _hub = new(fronts, index, token, _ => { }, _ => Task.CompletedTask);
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(30) };
    private int _front = index;

    public int Index { get; } = index;

    public long ThreadId { get; } = threadId;

    public string Transport => _rest ? "rest" : "hub";

    public int Retries { get; private set; }

    /// <summary>Front changes: hub reconnects plus REST switches to another front.</summary>
    public int Reconnects => Math.Max(0, _hub.Connects - 1) + (_front - Index);

    /// <summary>Sends until <paramref name="stop"/>; the message in flight at that moment is abandoned (not acknowledged).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var next = DateTime.UtcNow;
        for (var k = 1; !stop.IsCancellationRequested; k++)
        {
            var clientMessageId = $"{run}-{Index}-{k}";
            while (!stop.IsCancellationRequested)
            {
                string? kind;
                try
                {
                    kind = _rest ? await SendRestAsync(clientMessageId, k, stop) : await SendHubAsync(clientMessageId, k, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    kind = (_rest ? "rest " : "hub ") + ErrorKinds.Of(e);
                    if (_rest && e is HttpRequestException)
                    {
                        // The front is gone: the next attempt goes to another one.
                        _front++;
                        log.Reconnected(Index, "sender");
                    }
                }
                if (kind is null)
                {
                    break;
                }
                Retries++;
                log.Failed(Index, kind);
                await Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            next += interval;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Delay(wait, stop);
            }
            else
            {
                // Behind after an outage: do not burst to catch up, just carry on at the pace.
                next = DateTime.UtcNow;
            }
        }
    }

    /// <summary>Null when acknowledged, else the kind of refusal.</summary>
    private async Task<string?> SendHubAsync(string clientMessageId, int k, CancellationToken stop)
    {
        var connection = await _hub.ConnectionAsync(stop);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var ack = await connection.InvokeAsync<JsonElement>("SendMessage", ThreadId,
                new Dictionary<string, object> { ["message"] = $"chaos {k}", ["client_message_id"] = clientMessageId }, timeout.Token);
            log.Acked(Index, clientMessageId, ack.GetProperty("id").GetInt64(), ack.GetProperty("seq").GetInt64());
            return null;
        }
        catch (HubException e)
        {
            // "503: …" is the retryable storage outage; anything else is worth seeing in the report as is.
            return "hub " + ErrorKinds.Of(e);
        }
    }

    private async Task<string?> SendRestAsync(string clientMessageId, int k, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fronts[_front % fronts.Count], $"api/chat/threads/{ThreadId}/messages/"))
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["message"] = $"chaos {k}", ["client_message_id"] = clientMessageId }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _http.SendAsync(request, stop);
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(stop);
            log.Acked(Index, clientMessageId, body.GetProperty("id").GetInt64(), body.GetProperty("seq").GetInt64());
            return null;
        }
        return $"rest {(int)response.StatusCode}" + (response.Headers.RetryAfter is null ? "" : "+Retry-After");
    }

    private static async Task Delay(TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over; the loop sees it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _http.Dispose();
    }
}
