namespace OrleansChat.LoadTest.Clients;

/// <summary>Reads sender id and client_message_id out of a received message in either protocol's shape.</summary>
public static class WirePayload
{
    public static (long SenderId, string? ClientMessageId) SenderAndClientId(object? payload) => payload switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } e => FromJson(e),
        IDictionary<object, object?> map => FromMap(map),
        _ => (0, null),
    };

    public static (long SenderId, string? ClientMessageId) FromJson(JsonElement message)
    {
        long sender = 0;
        if (message.TryGetProperty("sender", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
        {
            sender = id.GetInt64();
        }
        var clientId = message.TryGetProperty("client_message_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return (sender, clientId);
    }

    /// <summary>MessagePack maps: the spec's snake_case keys, or PascalCase if the server serializes its records contractless.</summary>
    private static (long SenderId, string? ClientMessageId) FromMap(IDictionary<object, object?> map)
    {
        long sender = 0;
        if ((Get(map, "sender") ?? Get(map, "Sender")) is IDictionary<object, object?> s && (Get(s, "id") ?? Get(s, "Id")) is { } id)
        {
            sender = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }
        var clientId = (Get(map, "client_message_id") ?? Get(map, "ClientMessageId")) as string;
        return (sender, clientId);
    }

    private static object? Get(IDictionary<object, object?> map, string key) => map.TryGetValue(key, out var value) ? value : null;
}
