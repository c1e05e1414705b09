using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>
/// The WebSocket's own frames: <c>error</c> (spec §4, with <c>code</c> and the failed frame's
/// <c>client_message_id</c>). Thread events are encoded by <see cref="Delivery.WireEvents"/>, shared with the hub.
/// </summary>
public static class OutgoingFrames
{
    public static byte[] Error(int code, string message, string? clientMessageId) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorFrame("error", message, code, clientMessageId), WireJson.Options);

    private sealed record ErrorFrame(
        string Type,
        string Message,
        int Code,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientMessageId);
}
