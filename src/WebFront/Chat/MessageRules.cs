using System.Text;
using System.Text.Json;

namespace OrleansChat.WebFront.Chat;

/// <summary>The limits of spec §2 for message fields, shared by REST, the hub and the WebSocket endpoint.</summary>
public static class MessageRules
{
    public const int MaxMessageCodePoints = 10_000;
    public const int MaxMetadataBytes = 16 * 1024;
    public const int MaxClientMessageIdLength = 64;

    /// <summary>
    /// Why the text is refused, or null. Characters are Unicode code points, counted after trimming; empty text is
    /// refused unless <paramref name="mayBeEmpty"/> (a message with attachments, spec §8).
    /// </summary>
    public static string? TextProblem(string text, bool mayBeEmpty = false)
    {
        foreach (var c in text)
        {
            if (c < 0x20 && c is not '\t' and not '\r' and not '\n')
            {
                return "must not contain control characters";
            }
        }
        var trimmed = text.Trim();
        if (trimmed.Length == 0 && !mayBeEmpty)
        {
            return "must not be empty";
        }
        var codePoints = 0;
        foreach (var _ in trimmed.EnumerateRunes())
        {
            if (++codePoints > MaxMessageCodePoints)
            {
                return $"must be at most {MaxMessageCodePoints} characters";
            }
        }
        return null;
    }

    /// <summary>Metadata as stored: a JSON object serialized compactly, or null. Anything else is an error.</summary>
    public static string? ReadMetadata(FieldReader fields, string name = "metadata")
    {
        if (fields.Raw(name) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            fields.Error(name, "must be a JSON object or null");
            return null;
        }
        if (JsonText.ContainsNul(value))
        {
            fields.Error(name, JsonText.NulError + " in any key or value");
            return null;
        }
        var json = JsonSerializer.Serialize(value);
        if (Encoding.UTF8.GetByteCount(json) > MaxMetadataBytes)
        {
            fields.Error(name, "must be at most 16 KiB serialized");
            return null;
        }
        return json;
    }

    /// <summary>Reads and checks the fields of a send, as the REST body, the hub argument and the WebSocket frame carry them.</summary>
    public static SendCommand ReadSend(FieldReader fields, Caller caller)
    {
        var attachments = AttachmentFields.Read(fields);
        var text = fields.String("message", required: attachments.Length == 0);
        if (text is not null && TextProblem(text, mayBeEmpty: attachments.Length > 0) is { } problem)
        {
            fields.Error("message", problem);
        }
        var type = fields.String("message_type") ?? MessageTypes.Text;
        if (MessageTypes.Refusal(type, caller, fromIntegration: false) is { } refusal)
        {
            fields.Error("message_type", refusal.Detail);
        }
        var metadata = ReadMetadata(fields);
        var clientMessageId = ReadClientMessageId(fields);
        var replyTo = fields.Id("reply_to");
        fields.ThrowIfInvalid();
        return new SendCommand(caller, text ?? "", type, metadata, clientMessageId, ReplyTo: replyTo, Attachments: attachments.Length > 0 ? attachments : null);
    }

    public static string? ReadClientMessageId(FieldReader fields)
    {
        var id = fields.String("client_message_id", maxLength: MaxClientMessageIdLength);
        if (id is { Length: 0 })
        {
            fields.Error("client_message_id", "must not be empty");
        }
        return id;
    }
}
