using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace OrleansChat.ChatClients;

/// <summary>Registers users and creates threads through the REST API (spec §3), concurrently.</summary>
public sealed class ChatProvisioner(Uri front, TokenMinter tokens, int concurrency) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = front, Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _serviceToken = tokens.Mint(9_007_199_254_740_000L, "loadtest-service", "service");

    /// <summary>Registers both users of every pair (service account PUT /users/{id}/) and creates their thread.</summary>
    public async Task<List<SimThread>> CreateThreadsAsync(IReadOnlyList<(SimUser Client, SimUser Freelancer)> pairs, CancellationToken ct)
    {
        var threads = new SimThread[pairs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, pairs.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var (client, freelancer) = pairs[i];
            await RegisterAsync(client, token);
            await RegisterAsync(freelancer, token);
            threads[i] = new SimThread(await CreateThreadAsync(client, freelancer, token), client, freelancer);
        });
        return [.. threads];
    }

    public async Task RegisterAsync(SimUser user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/chat/users/{user.Id}/")
        {
            Content = JsonContent.Create(new Dictionary<string, object?>
            {
                ["username"] = user.Username,
                ["role"] = user.Role,
                ["company_name"] = user.Role == "client" ? "Load Test Inc" : null,
                ["title"] = user.Role == "freelancer" ? "Load Tester" : null,
                ["rate"] = user.Role == "freelancer" ? "50.00" : null,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _serviceToken);
        using var response = await _http.SendAsync(request, ct);
        await EnsureAsync(response, "register user", ct);
    }

    public async Task<long> CreateThreadAsync(SimUser client, SimUser freelancer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat/threads/")
        {
            Content = JsonContent.Create(new Dictionary<string, object?> { ["client"] = client.Id, ["freelancer"] = freelancer.Id, ["job"] = null }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        using var response = await _http.SendAsync(request, ct);
        await EnsureAsync(response, "create thread", ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Sends one text message over REST and waits for its durable ack; a 429 or 503 is retried after its
    /// Retry-After with the same client_message_id, so a retry never stores the message twice.
    /// </summary>
    public async Task<long> SendAsync(SimUser sender, long threadId, string text, string clientMessageId, CancellationToken ct)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/chat/threads/{threadId}/messages/")
            {
                Content = JsonContent.Create(new Dictionary<string, object?> { ["message"] = text, ["client_message_id"] = clientMessageId }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sender.Token);
            using var response = await _http.SendAsync(request, ct);
            if ((int)response.StatusCode is 429 or 503)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                continue;
            }
            await EnsureAsync(response, "send", ct);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return body.RootElement.GetProperty("seq").GetInt64();
        }
    }

    /// <summary>The thread's last seq as a participant sees it (GET /threads/{id}/), or null when the thread is not theirs.</summary>
    public async Task<long?> LastSeqAsync(SimUser participant, long threadId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/chat/threads/{threadId}/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", participant.Token);
        using var response = await _http.SendAsync(request, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureAsync(response, "read thread", ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("last_seq").GetInt64();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }
    }

    public void Dispose() => _http.Dispose();
}
