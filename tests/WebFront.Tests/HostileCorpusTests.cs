using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>A stack of its own for the corpus: rate limits off (ChatStack's default), the flood guard out of the way, a database only it writes.</summary>
public sealed class HostileStack : IAsyncLifetime
{
    public ChatStack Stack { get; } = new();

    public async Task InitializeAsync()
    {
        Stack.FrontSettings["Chat:WebSocket:FloodFramesPerSecond"] = "100000";
        await Stack.InitializeAsync();
    }

    public Task DisposeAsync() => Stack.DisposeAsync();
}

/// <summary>
/// The product's own fuzz test (issue 14): every value of <see cref="HostileCorpus"/> in every field of every REST
/// endpoint, hub method and WebSocket frame type. No case may get a 5xx (or an unmapped hub error), malformed text
/// gets 400 and a NUL bound for storage 422, the connection stays usable, and the database is intact afterwards.
/// </summary>
public sealed class HostileCorpusTests(HostileStack fixture) : IClassFixture<HostileStack>
{
    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task Every_REST_endpoint_answers_every_hostile_value_without_a_5xx()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(Stack);
        var messageId = (await ChatApi.SendAsync(Stack, client, threadId, "seed")).GetProperty("id").GetInt64();
        var service = TestUser.Create(Stack, "service");
        var newUser = Random.Shared.NextInt64(1, 1L << 40);
        var endpoints = new (HttpMethod Method, string Path, TestUser User, (string, string)[] Fields)[]
        {
            (HttpMethod.Post, "api/chat/threads/", client, [("client", $"{client.Id}"), ("freelancer", $"{freelancer.Id}"), ("job", "null")]),
            (HttpMethod.Put, $"api/chat/threads/{threadId}/", client, [("is_muted", "true"), ("is_archived", "null"), ("is_active", "null")]),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/messages/", client, [("message", "\"ok\""), ("message_type", "\"text\""), ("metadata", "null"), ("client_message_id", "null")]),
            (HttpMethod.Put, $"api/chat/messages/{messageId}/", client, [("message", "\"edited\""), ("metadata", "{\"a\":1}")]),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/mark-read/", freelancer, [("message_ids", "[]"), ("up_to_seq", "0")]),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/create-dispute/", client, [("reason", "\"late\""), ("description", "null"), ("client_message_id", "null")]),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/initiate-payment/", client, [("amount", "\"1.00\""), ("currency", "\"USD\""), ("description", "null")]),
            (HttpMethod.Post, $"api/chat/threads/{threadId}/job-update/", freelancer, [("status", "\"open\""), ("note", "null")]),
            (HttpMethod.Put, $"api/chat/users/{newUser}/", service, [("username", "\"u\""), ("role", "\"client\""), ("company_name", "null"), ("title", "null"), ("rate", "null")]),
        };
        var failures = new List<string>();
        var cases = 0;
        foreach (var (method, path, user, fields) in endpoints)
        {
            using var http = Stack.Http(user.Token);
            async Task Try(string what, byte[] body, Expect expect)
            {
                cases++;
                using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.SendAsync(request);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                var expected = expect switch { Expect.Malformed => 400, Expect.Nul => 422, _ => 0 };
                if (status >= 500 || (expected != 0 && status != expected))
                {
                    failures.Add($"{method} {path} {what} → {status} (expected {(expected == 0 ? "< 500" : expected)}): {Cut(text)}");
                }
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{method} {path} {what} → {status} without problem+json");
                }
                else if (expect == Expect.Nul && !text.Contains("\"errors\"", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {path} {what} → 422 without errors: {Cut(text)}");
                }
            }
            foreach (var (field, _) in fields)
            {
                foreach (var value in HostileCorpus.Values)
                {
                    await Try($"{field}={value}", HostileCorpus.With(fields, field, value.Json), value.Expect);
                }
            }
            foreach (var body in HostileCorpus.Bodies(HostileCorpus.Body(fields)))
            {
                await Try(body.Name, body.Json, body.Expect);
            }
        }

        foreach (var query in new[] { "?before=%C0%AF", "?after=%ED%A0%80", "?limit=%00", "?before=1e400", "?after=99999999999999999999999" })
        {
            cases++;
            using var http = Stack.Http(client.Token);
            var status = (int)(await http.GetAsync($"api/chat/threads/{threadId}/messages/{query}")).StatusCode;
            if (status >= 500)
            {
                failures.Add($"GET messages{query} → {status}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures.Take(40)));
        await AssertIntactAsync(client, threadId);
    }

    [Fact]
    public async Task Every_hub_method_answers_every_hostile_value_with_a_4xx_or_success_and_stays_connected()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(Stack);
        var failures = new List<string>();
        var cases = 0;
        var hub = await RawHubClient.ConnectAsync(Stack.FrontUri, client.Token);
        try
        {
            async Task Try(string what, string target, byte[] arguments, Expect expect)
            {
                cases++;
                var (closed, error) = await hub.InvokeAsync(target, arguments);
                var expected = expect switch { Expect.Malformed => "400: ", Expect.Nul => "422: ", _ => null };
                if (closed)
                {
                    failures.Add($"{target} {what}: the connection closed");
                    await hub.DisposeAsync();
                    hub = await RawHubClient.ConnectAsync(Stack.FrontUri, client.Token);
                }
                else if (error is not null && !System.Text.RegularExpressions.Regex.IsMatch(error, "^4\\d\\d: "))
                {
                    failures.Add($"{target} {what}: error without a 4xx status: {Cut(error)}");
                }
                else if (expected is not null && error?.StartsWith(expected, StringComparison.Ordinal) != true)
                {
                    failures.Add($"{target} {what}: expected {expected}…, got {(error is null ? "success" : Cut(error))}");
                }
            }
            var t = Encoding.UTF8.GetBytes(threadId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            (string Name, string Json)[] send = [("message", "\"ok\""), ("message_type", "\"text\""), ("metadata", "null"), ("client_message_id", "null")];
            (string Name, string Json)[] markRead = [("message_ids", "[]"), ("up_to_seq", "0")];
            foreach (var value in HostileCorpus.Values)
            {
                foreach (var (field, _) in send)
                {
                    await Try($"payload.{field}={value}", "SendMessage", [.. t, (byte)',', .. HostileCorpus.With(send, field, value.Json)], value.Expect);
                }
                foreach (var (field, _) in markRead)
                {
                    await Try($"payload.{field}={value}", "MarkRead", [.. t, (byte)',', .. HostileCorpus.With(markRead, field, value.Json)], value.Expect);
                }
                // Positional arguments: a NUL there is only a wrong type (no string argument is stored), so only "no 5xx" holds.
                var positional = value.Expect == Expect.Nul ? Expect.Any : value.Expect;
                await Try($"threadId={value}", "JoinThread", [.. value.Json, .. ",null"u8], positional);
                await Try($"afterSeq={value}", "JoinThread", [.. t, (byte)',', .. value.Json], positional);
                await Try($"threadId={value}", "LeaveThread", value.Json, positional);
                await Try($"payload={value}", "SendMessage", [.. t, (byte)',', .. value.Json], value.Expect);
                await Try($"payload={value}", "MarkRead", [.. t, (byte)',', .. value.Json], positional);
                await Try($"isTyping={value}", "Typing", [.. t, (byte)',', .. value.Json], positional);
            }
            foreach (var body in HostileCorpus.Bodies(HostileCorpus.Body(send)).Where(b => b.Json.Length > 0 && b.Json[0] == (byte)'{'))
            {
                await Try($"payload {body}", "SendMessage", [.. t, (byte)',', .. body.Json], body.Expect);
            }

            // Still usable: a join answers and a send is stored.
            var (joinClosed, joinError) = await hub.InvokeAsync("JoinThread", [.. t, .. ",0"u8]);
            Assert.False(joinClosed);
            Assert.Null(joinError);
        }
        finally
        {
            await hub.DisposeAsync();
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures.Take(40)));
        await AssertIntactAsync(client, threadId);
    }

    [Fact]
    public async Task Every_WebSocket_frame_type_answers_every_hostile_value_with_a_4xx_error_frame_and_stays_open()
    {
        var (client, _, threadId) = await ChatApi.NewThreadAsync(Stack);
        var failures = new List<string>();
        var cases = 0;
        var probe = 0;
        var socket = await WsTestClient.ConnectAsync(Stack, threadId, client);
        try
        {
            async Task Try(string what, byte[] frame, Expect expect)
            {
                cases++;
                var seen = socket.Frames.Items.Count;
                var probeId = $"probe-{++probe}";
                var closedBefore = false;
                try
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true);
                    // A probe that always gets an error frame carrying its id marks the end of this case's answers.
                    await socket.SendJsonAsync(new { type = "probe", client_message_id = probeId });
                    var answered = socket.WaitForAsync("error", where: f => f.TryGetProperty("client_message_id", out var id) && id.GetString() == probeId);
                    closedBefore = await Task.WhenAny(answered, socket.Closed) != answered;
                }
                catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
                {
                    // The server failed the connection (1007) while the probe was being written: a broken pipe.
                    closedBefore = true;
                }
                if (closedBefore)
                {
                    var code = await socket.Closed.WaitAsync(WsTestClient.Deadline);
                    // RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (.NET's WebSocket sends 1007 and
                    // ends it before any application code runs; the client may see the close frame or only the end).
                    if (!(HostileCorpus.IsInvalidUtf8(frame) && code is WebSocketCloseStatus.InvalidPayloadData or null))
                    {
                        failures.Add($"{what}: the socket closed ({code?.ToString() ?? "no close frame"})");
                    }
                    await socket.DisposeAsync();
                    socket = await WsTestClient.ConnectAsync(Stack, threadId, client);
                    return;
                }
                if (HostileCorpus.IsInvalidUtf8(frame))
                {
                    failures.Add($"{what}: a text frame of invalid UTF-8 did not fail the connection with 1007");
                }
                var errors = socket.Frames.Items.Skip(seen)
                    .Where(f => WsTestClient.TypeOf(f) == "error" && !(f.TryGetProperty("client_message_id", out var id) && id.GetString() == probeId))
                    .Select(f => f.GetProperty("code").GetInt32()).ToArray();
                var expected = expect switch { Expect.Malformed => 400, Expect.Nul => 422, _ => 0 };
                if (errors.Any(c => c >= 500))
                {
                    failures.Add($"{what}: error code {string.Join(",", errors)}");
                }
                else if (expected != 0 && !errors.Contains(expected))
                {
                    failures.Add($"{what}: expected an error {expected}, got [{string.Join(",", errors)}]");
                }
            }
            (string Name, string Json)[][] frames =
            [
                [("type", "\"chat_message\""), ("message", "\"ok\""), ("message_type", "\"text\""), ("metadata", "null"), ("client_message_id", "null")],
                [("type", "\"mark_messages_read\""), ("message_ids", "[]")],
                [("type", "\"typing_indicator\""), ("is_typing", "false")],
            ];
            foreach (var fields in frames)
            {
                foreach (var (field, _) in fields)
                {
                    foreach (var value in HostileCorpus.Values)
                    {
                        // The frame type is a string the server reads but never stores: a NUL there is an unknown type.
                        var expect = field == "type" && value.Expect == Expect.Nul ? Expect.Any : value.Expect;
                        await Try($"{fields[0].Json} {field}={value}", HostileCorpus.With(fields, field, value.Json), expect);
                    }
                }
                foreach (var body in HostileCorpus.Bodies(HostileCorpus.Body(fields)))
                {
                    await Try($"{fields[0].Json} {body}", body.Json, body.Expect);
                }
            }
            Assert.Equal(WebSocketState.Open, socket.State);
        }
        finally
        {
            await socket.DisposeAsync();
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n" + string.Join("\n", failures.Take(40)));
        await AssertIntactAsync(client, threadId);
    }

    /// <summary>Every thread's seqs are 1…N, nothing stored carries a NUL, and the API still takes a send.</summary>
    private async Task AssertIntactAsync(TestUser user, long threadId)
    {
        var gaps = await Stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT thread_id, max(seq) AS top, count(*) AS n, count(DISTINCT seq) AS d, min(seq) AS low FROM chat_messages GROUP BY thread_id) s WHERE top <> n OR d <> n OR low <> 1");
        Assert.Equal(0, gaps);
        var after = await ChatApi.SendAsync(Stack, user, threadId, "still works");
        var expectedSeq = await Stack.Database.ScalarAsync<long>("SELECT max(seq) FROM chat_messages WHERE thread_id = @t", ("t", threadId));
        Assert.Equal(expectedSeq, after.GetProperty("seq").GetInt64());
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
