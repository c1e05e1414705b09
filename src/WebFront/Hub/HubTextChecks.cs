using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Hub;

/// <summary>
/// Applies <see cref="JsonText"/> to hub invocations of the JSON protocol, so the hub refuses malformed text like REST
/// and the WebSocket do: an invocation whose record has malformed UTF-8, a lone surrogate escape or is nested too deep
/// is answered "400: …", one whose arguments do not bind to the method's parameters "422: …", and the connection
/// stays open. (SignalR itself would close the connection on a record it cannot parse, and hand the method strings
/// that throw when read.) A record without an invocation id and target is left to SignalR.
/// </summary>
public static class HubTextChecks
{
    private const byte RecordSeparator = 0x1E;

    public static bool TryParse(IHubProtocol inner, ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        try
        {
            if (!inner.TryParseMessage(ref input, binder, out message))
            {
                return false;
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or InvalidOperationException
            && before.PositionOf(RecordSeparator) is { } end
            && Envelope(before.Slice(0, end).ToArray()) is { InvocationId: { } id, Target: { } target })
        {
            input = before.Slice(before.GetPosition(1, end));
            message = Refusal(id, target, 400, $"The message is not well-formed JSON: {JsonText.Malformed(before.Slice(0, end).ToArray()) ?? "syntax error"}.");
            return true;
        }
        if (message is HubMethodInvocationMessage or InvocationBindingFailureMessage)
        {
            var (id, target) = message switch
            {
                HubMethodInvocationMessage m => (m.InvocationId, m.Target),
                InvocationBindingFailureMessage f => (f.InvocationId, f.Target),
                _ => (null, ""),
            };
            var record = before.Slice(0, input.Start).ToArray().AsSpan();
            if (JsonText.Malformed(record[..^1]) is { } reason)
            {
                message = Refusal(id, target, 400, $"The message is not well-formed JSON: {reason}.");
            }
            else if (message is InvocationBindingFailureMessage { BindingFailure.SourceException: not HubException })
            {
                message = Refusal(id, target, 422, $"arguments: do not match the parameters of {target}");
            }
        }
        return true;
    }

    private static InvocationBindingFailureMessage Refusal(string? invocationId, string target, int status, string detail) =>
        new(invocationId, target, ExceptionDispatchInfo.Capture(new HubException($"{status}: {detail}")));

    /// <summary>The invocation id and target of a record that does not parse, read as far as it goes.</summary>
    private static (string? InvocationId, string? Target) Envelope(byte[] record)
    {
        string? id = null, target = null;
        var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = 4096 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && name is "invocationId" or "target")
                    {
                        var value = reader.GetString();
                        (id, target) = name == "invocationId" ? (value, target) : (id, value);
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Read as far as it goes.
        }
        return (id, target);
    }
}
