using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Hub;

/// <summary>
/// Wraps a SignalR hub protocol so that the wire matches spec §5 in both protocols:
/// a HubException reaches the client as its own message ("404: Not found.") rather than behind SignalR's
/// "An unexpected error occurred invoking …" prefix; and, for MessagePack, payloads become plain maps with the
/// same snake_case keys as JSON (records would otherwise be written with .NET member names).
/// </summary>
public sealed partial class WireHubProtocol(IHubProtocol inner, bool plainPayloads) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        TransferFormat == TransferFormat.Text
            ? HubTextChecks.TryParse(inner, ref input, binder, out message)
            : inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(Rewrite(message), output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(Rewrite(message));

    private HubMessage Rewrite(HubMessage message) => message switch
    {
        CompletionMessage { Error: { } error } c => new CompletionMessage(c.InvocationId!, StripPrefix(error), null, false) { Headers = c.Headers },
        CompletionMessage { HasResult: true } c when plainPayloads => new CompletionMessage(c.InvocationId!, null, WirePayload.ToPlain(c.Result), true) { Headers = c.Headers },
        InvocationMessage i when plainPayloads => new InvocationMessage(i.InvocationId, i.Target, [.. i.Arguments.Select(WirePayload.ToPlain)], i.StreamIds) { Headers = i.Headers },
        _ => message,
    };

    private static string StripPrefix(string error)
    {
        var match = UnexpectedErrorPrefix().Match(error);
        return match.Success ? match.Groups[1].Value : error;
    }

    // SignalR prefixes a HubException thrown by a method, and one that refused an invocation's arguments (see HubTextChecks).
    [GeneratedRegex(@"^(?:An unexpected error occurred invoking '[^']*' on the server|Failed to invoke '[^']*' due to an error on the server)\. HubException: (.*)$", RegexOptions.Singleline)]
    private static partial Regex UnexpectedErrorPrefix();
}

/// <summary>Converts between wire objects and protocol-neutral shapes.</summary>
public static class WirePayload
{
    /// <summary>A wire object as plain maps, lists and scalars with the JSON wire's keys.</summary>
    public static object? ToPlain(object? value) => value switch
    {
        null => null,
        string or bool or int or long or double => value,
        JsonElement e => Plain(e),
        _ => Plain(JsonSerializer.SerializeToElement(value, value.GetType(), WireJson.Options)),
    };

    /// <summary>An argument as the hub received it (a JsonElement from JSON, maps and lists from MessagePack) as JSON.</summary>
    public static JsonElement ToJson(object? value) => value switch
    {
        JsonElement e => e,
        null => JsonSerializer.SerializeToElement<object?>(null),
        _ => JsonSerializer.SerializeToElement(ToNode(value)),
    };

    private static object? Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static System.Text.Json.Nodes.JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        System.Collections.IDictionary map => new System.Text.Json.Nodes.JsonObject(map.Keys.Cast<object>()
            .Select(k => KeyValuePair.Create(CheckedText(Convert.ToString(k, System.Globalization.CultureInfo.InvariantCulture) ?? ""), ToNode(map[k])))),
        string s => System.Text.Json.Nodes.JsonValue.Create(CheckedText(s)),
        System.Collections.IEnumerable list => new System.Text.Json.Nodes.JsonArray([.. list.Cast<object?>().Select(ToNode)]),
        _ => System.Text.Json.Nodes.JsonValue.Create(JsonSerializer.SerializeToElement(value, value.GetType())),
    };

    /// <summary>MessagePack strings are decoded text: one with a lone surrogate is refused like malformed JSON (400).</summary>
    private static string CheckedText(string text)
    {
        JsonText.ThrowIfMalformed(text, "payload");
        return text;
    }
}
