using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

namespace OrleansChat.WebFront.Tests;

/// <summary>What a corpus value must get: malformed text → 400, a NUL bound for storage → 422, anything else no 5xx.</summary>
public enum Expect
{
    Any,
    Malformed,
    Nul,
}

/// <summary>One hostile JSON value, as raw bytes (so it can carry invalid UTF-8 and escapes the serializer would never write).</summary>
public sealed record HostileValue(string Name, byte[] Json, Expect Expect)
{
    public override string ToString() => Name;
}

/// <summary>
/// The targeted corpus of issue 14: NUL, lone surrogates, invalid UTF-8, deep nesting, huge numbers, wrong types,
/// empty and enormous arrays. Every value is tried in every field of every endpoint, hub method and frame type.
/// </summary>
public static class HostileCorpus
{
    public static readonly HostileValue[] Values =
    [
        // Malformed text: not well-formed JSON by spec §3.
        Raw("utf8 overlong c0 af", "\"a", [0xC0, 0xAF], "\"", Expect.Malformed),
        Raw("utf8 surrogate ed a0 80", "\"", [0xED, 0xA0, 0x80], "\"", Expect.Malformed),
        Raw("utf8 ff", "\"", [0xFF], "x\"", Expect.Malformed),
        Raw("utf8 truncated e2 82", "\"x", [0xE2, 0x82], "\"", Expect.Malformed),
        Text("escaped lone high surrogate", "\"\\ud800\"", Expect.Malformed),
        Text("escaped lone low surrogate", "\"\\udc00\"", Expect.Malformed),
        Text("escaped surrogate then letter", "\"a\\ud800\\u0041b\"", Expect.Malformed),
        Text("reversed surrogate pair", "\"\\udc00\\ud800\"", Expect.Malformed),
        Text("lone surrogate nested", "{\"k\":{\"d\":[\"\\ud800\"]}}", Expect.Malformed),
        Text("lone surrogate member name", "{\"\\udbff\":1}", Expect.Malformed),
        Raw("invalid utf8 member name", "{\"", [0xC0, 0xAF], "\":1}", Expect.Malformed),
        Raw("invalid utf8 nested", "{\"k\":[\"", [0xED, 0xBF, 0xBF], "\"]}", Expect.Malformed),
        Text("deep nesting 70", new string('[', 70) + new string(']', 70), Expect.Malformed),
        Text("deep object nesting 100", string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100), Expect.Malformed),

        // NUL bound for storage.
        Text("nul", "\"\\u0000\"", Expect.Nul),
        Text("nul inside", "\"ab\\u0000cd\"", Expect.Nul),
        Text("nul object value", "{\"a\":\"x\\u0000y\"}", Expect.Nul),
        Text("nul object key", "{\"\\u0000\":\"v\"}", Expect.Nul),
        Text("nul deep", "{\"a\":{\"b\":[1,{\"c\":\"\\u0000\"}]}}", Expect.Nul),

        // Everything else: wrong types, huge numbers, odd but valid text.
        Text("huge exponent", "1e400", Expect.Any),
        Text("negative huge exponent", "-1e400", Expect.Any),
        Text("30 digit integer", "123456789012345678901234567890", Expect.Any),
        Text("2^53", "9007199254740992", Expect.Any),
        Text("fraction", "1.5", Expect.Any),
        Text("negative", "-1", Expect.Any),
        Text("zero", "0", Expect.Any),
        Text("true", "true", Expect.Any),
        Text("null", "null", Expect.Any),
        Text("empty string", "\"\"", Expect.Any),
        Text("spaces", "\"   \"", Expect.Any),
        Text("empty object", "{}", Expect.Any),
        Text("empty array", "[]", Expect.Any),
        Text("nested empty arrays", "[[[]]]", Expect.Any),
        Text("array of strings", "[\"a\",\"b\"]", Expect.Any),
        Text("array of ids", "[1,2,3]", Expect.Any),
        Text("enormous array", "[" + string.Join(',', Enumerable.Repeat("1", 20_000)) + "]", Expect.Any),
        Text("long string", "\"" + new string('x', 20_000) + "\"", Expect.Any),
        Text("emoji and rtl", "\"\\ud83d\\ude00 \\u202e \\uffff\"", Expect.Any),
        Text("valid pair raw", "\"\U0001F600\"", Expect.Any),
        Text("control char", "\"a\\u0007b\"", Expect.Any),
        Text("html", "\"<script>alert(1)</script>\"", Expect.Any),
        Text("operator object", "{\"$gt\":1}", Expect.Any),
        Text("nested depth 30", string.Concat(Enumerable.Repeat("{\"a\":", 30)) + "1" + new string('}', 30), Expect.Any),
    ];

    public static bool IsInvalidUtf8(byte[] bytes) => !System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Whole bodies that are wrong as a whole rather than in one field.</summary>
    public static IEnumerable<HostileValue> Bodies(string baseBody)
    {
        yield return new("BOM then body", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(baseBody)], Expect.Any);
        yield return Text("duplicate keys", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"x\":1,\"x\":2}", Expect.Any);
        yield return Text("empty body", "", Expect.Any);
        yield return Text("array root", "[]", Expect.Any);
        yield return Text("string root", "\"s\"", Expect.Any);
        yield return Text("trailing garbage", baseBody + "}", Expect.Any);
        yield return Text("deep nesting 1000", new string('[', 1000) + new string(']', 1000), Expect.Malformed);
        yield return Raw("invalid utf8 outside strings", "{", [0xC0, 0xAF], "}", Expect.Malformed);
        yield return Raw("invalid utf8 extra member", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"zz\":\"", [0xED, 0xA0, 0x80], "\"}", Expect.Malformed);
        yield return Text("lone surrogate extra member", baseBody.TrimEnd('}') + (baseBody == "{}" ? "" : ",") + "\"\\ud800\":1}", Expect.Malformed);
    }

    /// <summary>An object body whose fields are <paramref name="fields"/> with <paramref name="field"/> set to <paramref name="value"/>.</summary>
    public static byte[] With(IReadOnlyList<(string Name, string Json)> fields, string field, byte[] value)
    {
        var body = new List<byte>();
        body.Add((byte)'{');
        var first = true;
        foreach (var (name, json) in fields.Where(f => f.Name != field))
        {
            body.AddRange(Encoding.UTF8.GetBytes($"{(first ? "" : ",")}\"{name}\":{json}"));
            first = false;
        }
        body.AddRange(Encoding.UTF8.GetBytes($"{(first ? "" : ",")}\"{field}\":"));
        body.AddRange(value);
        body.Add((byte)'}');
        return [.. body];
    }

    public static string Body(IReadOnlyList<(string Name, string Json)> fields) =>
        "{" + string.Join(',', fields.Select(f => $"\"{f.Name}\":{f.Json}")) + "}";

    private static HostileValue Text(string name, string json, Expect expect) => new(name, Encoding.UTF8.GetBytes(json), expect);

    private static HostileValue Raw(string name, string before, byte[] raw, string after, Expect expect) =>
        new(name, [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)], expect);
}

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

/// <summary>
/// A SignalR JSON-protocol client on a raw WebSocket, so the test can send bytes the .NET client never would
/// (invalid UTF-8, lone surrogate escapes). Invocations are sent one at a time and their completion awaited.
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const byte Separator = 0x1E;
    private readonly ClientWebSocket _socket = new();
    private readonly List<byte> _pending = [];
    private int _nextId;

    public static async Task<RawHubClient> ConnectAsync(Uri front, string token)
    {
        var client = new RawHubClient();
        var url = new UriBuilder(new Uri(front, "hubs/chat")) { Scheme = "ws", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
        await client._socket.ConnectAsync(url, timeout.Token);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}"u8.ToArray());
        var handshake = await client.ReceiveRecordAsync() ?? throw new InvalidOperationException("no handshake answer");
        Assert.Equal("{}", handshake);
        return client;
    }

    /// <summary>Invokes <paramref name="target"/> with the raw argument list; returns whether the connection closed, and the error if any.</summary>
    public async Task<(bool Closed, string? Error)> InvokeAsync(string target, byte[] arguments)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await SendAsync([.. Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":["), .. arguments, .. "]}"u8]);
            while (await ReceiveRecordAsync() is { } record)
            {
                var message = JsonDocument.Parse(record).RootElement;
                if (message.GetProperty("type").GetInt32() == 7)
                {
                    return (true, message.TryGetProperty("error", out var e) ? e.GetString() : null);
                }
                if (message.GetProperty("type").GetInt32() == 3 && message.GetProperty("invocationId").GetString() == id)
                {
                    return (false, message.TryGetProperty("error", out var error) ? error.GetString() : null);
                }
            }
            return (true, null);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return (true, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Already gone.
        }
        _socket.Dispose();
    }

    private async Task SendAsync(byte[] record)
    {
        using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
        // Binary frames: a text frame of invalid UTF-8 would fail the WebSocket itself (RFC 6455 §8.1, close 1007) before
        // SignalR saw it; binary frames carry the same bytes to the hub protocol, as long polling and SSE posts do.
        await _socket.SendAsync((byte[])[.. record, Separator], WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>The next record (without its separator), or null when the server closed.</summary>
    private async Task<string?> ReceiveRecordAsync()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var end = _pending.IndexOf(Separator);
            if (end >= 0)
            {
                var record = Encoding.UTF8.GetString([.. _pending.Take(end)]);
                _pending.RemoveRange(0, end + 1);
                return record;
            }
            using var timeout = new CancellationTokenSource(WsTestClient.Deadline);
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, result.Count));
        }
    }
}
