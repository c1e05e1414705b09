namespace OrleansChat.ChatClients;

/// <summary>What the harness reads out of a received message: where it belongs, who sent it, and the send's stamp.</summary>
public readonly record struct ReceivedMessage(long ThreadId, long Seq, long SenderId, string? ClientMessageId);

/// <summary>Reads a received message in either protocol's shape.</summary>
public static class WirePayload
{
    public static ReceivedMessage Read(object? payload) => payload switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } e => FromJson(e),
        IDictionary<object, object?> map => FromMap(map),
        _ => default,
    };

    public static ReceivedMessage FromJson(JsonElement message)
    {
        long sender = 0;
        if (message.TryGetProperty("sender", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
        {
            sender = id.GetInt64();
        }
        var clientId = message.TryGetProperty("client_message_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return new ReceivedMessage(Number(message, "thread"), Number(message, "seq"), sender, clientId);
    }

    /// <summary>MessagePack maps: the spec's snake_case keys, or PascalCase if the server serializes its records contractless.</summary>
    private static ReceivedMessage FromMap(IDictionary<object, object?> map)
    {
        long sender = 0;
        if ((Get(map, "sender") ?? Get(map, "Sender")) is IDictionary<object, object?> s && (Get(s, "id") ?? Get(s, "Id")) is { } id)
        {
            sender = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }
        var clientId = (Get(map, "client_message_id") ?? Get(map, "ClientMessageId")) as string;
        var thread = Get(map, "thread") ?? Get(map, "Thread");
        var seq = Get(map, "seq") ?? Get(map, "Seq");
        return new ReceivedMessage(thread is null ? 0 : Convert.ToInt64(thread, CultureInfo.InvariantCulture),
            seq is null ? 0 : Convert.ToInt64(seq, CultureInfo.InvariantCulture), sender, clientId);
    }

    private static long Number(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static object? Get(IDictionary<object, object?> map, string key) => map.TryGetValue(key, out var value) ? value : null;
}
