namespace OrleansChat.WebFront.Tests;

/// <summary>A front in Development, where /openapi/v1.json is served.</summary>
public sealed class DevelopmentChatStack : IAsyncLifetime
{
    public ChatStack Stack { get; } = new() { Environment = "Development" };

    public Task InitializeAsync() => Stack.InitializeAsync();

    public Task DisposeAsync() => Stack.DisposeAsync();
}

/// <summary>
/// The OpenAPI document describes every endpoint's request body, query, answers and problems with the wire's names,
/// and the described request shape is the one the handlers accept.
/// </summary>
public sealed class OpenApiTests(DevelopmentChatStack fixture) : IClassFixture<DevelopmentChatStack>
{
    private static readonly (string Method, string Path, string Body)[] BodyEndpoints =
    [
        ("post", "/api/chat/threads", "CreateThreadBody"),
        ("put", "/api/chat/threads/{id}", "UpdateThreadBody"),
        ("post", "/api/chat/threads/{id}/messages", "SendMessageBody"),
        ("post", "/api/chat/threads/{id}/mark-read", "MarkReadBody"),
        ("post", "/api/chat/threads/{id}/mark-delivered", "MarkDeliveredBody"),
        ("put", "/api/chat/messages/{id}", "EditMessageBody"),
        ("post", "/api/chat/threads/{id}/create-dispute", "CreateDisputeBody"),
        ("post", "/api/chat/threads/{id}/initiate-payment", "InitiatePaymentBody"),
        ("post", "/api/chat/threads/{id}/job-update", "JobUpdateBody"),
        ("put", "/api/chat/users/{id}", "RegisterUserBody"),
    ];

    private ChatStack Stack => fixture.Stack;

    [Fact]
    public async Task Every_chat_endpoint_has_a_json_answer_and_its_problems()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 26, $"only {operations.Count} operations described");
        foreach (var (method, path, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{method} {path}: no 2xx answer");
            foreach (var answer in success.Where(r => r.Name != "204"))
            {
                Assert.True(answer.Value.TryGetProperty("content", out var content), $"{method} {path} {answer.Name}: answer has no content");
                if (content.TryGetProperty("application/octet-stream", out var file))
                {
                    Assert.True(file.TryGetProperty("schema", out var bytes) && Resolve(document, bytes).TryGetProperty("format", out var format) && format.GetString() == "binary",
                        $"{method} {path} {answer.Name}: a download is not described as binary: {file}");
                    continue;
                }
                Assert.True(content.TryGetProperty("application/json", out var json), $"{method} {path} {answer.Name}: no JSON answer: {content}");
                var schema = Resolve(document, json.GetProperty("schema"));
                Assert.True(schema.TryGetProperty("properties", out _) || schema.TryGetProperty("items", out _), $"{method} {path} {answer.Name}: answer has no schema");
            }
            foreach (var status in (string[])["401", "503"])
            {
                Assert.True(responses.TryGetProperty(status, out var problem), $"{method} {path}: {status} not described");
                Assert.True(problem.TryGetProperty("content", out var problemContent) && problemContent.TryGetProperty("application/problem+json", out _),
                    $"{method} {path}: {status} is not problem+json");
            }
        }
    }

    [Fact]
    public async Task Request_bodies_and_queries_are_described_with_wire_names()
    {
        var document = await DocumentAsync();
        foreach (var (method, path, _) in BodyEndpoints)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.True(Resolve(document, body).GetProperty("properties").EnumerateObject().Any(), $"{method} {path}: empty body schema");
            foreach (var status in (string[])["400", "413", "415", "422"])
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path}: {status} not described");
            }
        }

        var send = Properties(document, "post", "/api/chat/threads/{id}/messages");
        Assert.Equal(["client_message_id", "message", "message_type", "metadata", "reply_to"], send.Order());
        var sendSchema = Resolve(document, document.GetProperty("paths").GetProperty("/api/chat/threads/{id}/messages").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["message"], sendSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("integer", sendSchema.GetProperty("properties").GetProperty("reply_to").GetProperty("type").EnumerateArray()
            .Select(t => t.GetString()).Single(t => t != "null"));
        var answer = Resolve(document, document.GetProperty("paths").GetProperty("/api/chat/threads/{id}/messages").GetProperty("post")
            .GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var fields = answer.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "id", "thread", "seq", "sender", "message", "message_type", "sent_at", "is_read", "client_message_id", "reply_to", "reactions", "is_delivered" }, fields);

        var list = document.GetProperty("paths").GetProperty("/api/chat/threads/{id}/messages").GetProperty("get");
        var queries = list.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "limit", "before", "after" }, queries);
    }

    [Fact]
    public async Task The_described_send_body_is_the_one_the_handler_reads()
    {
        var document = await DocumentAsync();
        var described = Properties(document, "post", "/api/chat/threads/{id}/messages");
        var (client, _, threadId) = await ChatApi.NewThreadAsync(Stack);
        var parent = await ChatApi.SendAsync(Stack, client, threadId, "parent");
        var values = new Dictionary<string, object?>
        {
            ["message"] = "described",
            ["message_type"] = "text",
            ["metadata"] = new Dictionary<string, object> { ["k"] = "v" },
            ["client_message_id"] = "openapi-1",
            ["reply_to"] = parent.GetProperty("id").GetInt64(),
        };
        Assert.Equal(values.Keys.Order(), described.Order());
        using var http = Stack.Http(client.Token);
        var response = await http.PostAsJsonAsync($"api/chat/threads/{threadId}/messages/", values);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Every described field took effect: none of them is silently ignored by the parser.
        Assert.Equal("described", message.GetProperty("message").GetString());
        Assert.Equal("text", message.GetProperty("message_type").GetString());
        Assert.Equal("v", message.GetProperty("metadata").GetProperty("k").GetString());
        Assert.Equal("openapi-1", message.GetProperty("client_message_id").GetString());
        Assert.Equal(parent.GetProperty("id").GetInt64(), message.GetProperty("reply_to").GetProperty("id").GetInt64());
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var http = Stack.Http();
        var response = await http.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/api/chat/", StringComparison.Ordinal)
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "delete"
        select (operation.Name, path.Name, operation.Value);

    private static IEnumerable<string> Properties(JsonElement document, string method, string path)
    {
        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        return Resolve(document, schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
    }

    /// <summary>Follows a "#/components/schemas/X" reference (the generator may inline or reference a schema).</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!["#/components/schemas/".Length..]))
            : schema;
}
