using System.Text.Json;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// Typed messages that the marketplace acts on: each is stored with an integration event in the durable outbox,
/// in the same statement, so neither exists without the other.
/// </summary>
public static class IntegrationApi
{
    private static readonly string[] JobStatuses = ["open", "in_progress", "submitted", "completed", "cancelled"];

    public static RouteGroupBuilder MapIntegrationApi(this RouteGroupBuilder threads)
    {
        threads.MapPost("/{id:long}/create-dispute/", CreateDispute).JsonBody<CreateDisputeBody>().Answers<MessageJson>(201, 200).Problems(403, 404, 409, 429);
        threads.MapPost("/{id:long}/initiate-payment/", InitiatePayment).JsonBody<InitiatePaymentBody>().Answers<MessageJson>(201, 200).Problems(403, 404, 409, 429);
        threads.MapPost("/{id:long}/job-update/", JobUpdate).JsonBody<JobUpdateBody>().Answers<MessageJson>(201, 200).Problems(403, 404, 409, 429);
        return threads;
    }

    private static Task<IResult> CreateDispute(long id, HttpContext http, ChatCommands chat) =>
        PostAsync(id, http, chat, fields =>
        {
            var reason = fields.String("reason", required: true, maxLength: 500);
            if (reason is not null && MessageRules.TextProblem(reason) is { } problem)
            {
                fields.Error("reason", problem);
            }
            var description = fields.String("description", maxLength: 5000);
            var metadata = new Dictionary<string, object?> { ["reason"] = reason, ["description"] = description, ["status"] = "open" };
            return (MessageTypes.Dispute, $"Dispute opened: {reason}", metadata, "dispute_opened");
        });

    private static Task<IResult> InitiatePayment(long id, HttpContext http, ChatCommands chat) =>
        PostAsync(id, http, chat, fields =>
        {
            var amount = ReadAmount(fields);
            var currency = fields.String("currency") ?? "USD";
            if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            {
                fields.Error("currency", "must be three upper-case letters");
            }
            var description = fields.String("description", maxLength: 5000);
            var metadata = new Dictionary<string, object?> { ["amount"] = amount, ["currency"] = currency, ["description"] = description, ["status"] = "initiated" };
            return (MessageTypes.Payment, $"Payment initiated: {amount} {currency}", metadata, "payment_initiated");
        });

    private static Task<IResult> JobUpdate(long id, HttpContext http, ChatCommands chat) =>
        PostAsync(id, http, chat, fields =>
        {
            var status = fields.String("status", required: true);
            if (status is not null && !JobStatuses.Contains(status))
            {
                fields.Error("status", "must be one of open, in_progress, submitted, completed, cancelled");
            }
            var note = fields.String("note", maxLength: 5000);
            var metadata = new Dictionary<string, object?> { ["status"] = status, ["note"] = note };
            return (MessageTypes.JobUpdate, $"Job status: {status}", metadata, "job_updated");
        });

    /// <summary>Amounts are positive decimals with at most two places, as a string (or a plain JSON number).</summary>
    private static string? ReadAmount(FieldReader fields)
    {
        var raw = fields.Raw("amount");
        var text = raw?.ValueKind switch
        {
            JsonValueKind.String => raw.Value.GetString(),
            JsonValueKind.Number => raw.Value.GetRawText(),
            _ => null,
        };
        if (text is null || !Money.IsValidAmount(text, allowZero: false))
        {
            fields.Error("amount", "must be a positive decimal with at most two decimal places, e.g. \"120.50\"");
            return null;
        }
        return Money.Normalize(text);
    }

    private static async Task<IResult> PostAsync(long id, HttpContext http, ChatCommands chat,
        Func<FieldReader, (string Type, string Text, Dictionary<string, object?> Metadata, string EventType)> read)
    {
        var fields = new FieldReader(await JsonBody.ReadAsync(http.Request));
        var result = await chat.PostIntegrationAsync(http.User.ToCaller(), id, fields, f =>
        {
            var (type, text, metadata, eventType) = read(f);
            return new IntegrationMessage(type, text, metadata, eventType);
        });
        return Results.Json(MessageJson.From(result.Message, false), WireJson.Options, statusCode: result.Created ? 201 : 200);
    }
}
