namespace OrleansChat.GrainInterfaces;

/// <summary>The message types of spec §2 and who may post which: one policy for the fronts and the thread grain.</summary>
public static class MessageTypes
{
    public const string Text = "text";
    public const string System = "system";
    public const string Payment = "payment";
    public const string Dispute = "dispute";
    public const string JobUpdate = "job_update";

    public static readonly IReadOnlyList<string> All = [Text, System, Payment, Dispute, JobUpdate];

    /// <summary>
    /// Why <paramref name="sender"/> may not post <paramref name="type"/>, or null. Clients send text; service and
    /// admin accounts also system; the other types come only from the integration endpoints.
    /// </summary>
    public static (ChatErrorKind Kind, string Detail)? Refusal(string type, Caller sender, bool fromIntegration) => type switch
    {
        Text => null,
        System when sender.IsPrivileged => null,
        System => (ChatErrorKind.Forbidden, "only service and admin accounts send system messages"),
        Payment or Dispute or JobUpdate when fromIntegration => null,
        Payment or Dispute or JobUpdate => (ChatErrorKind.Invalid, "this type is sent through its integration endpoint"),
        _ => (ChatErrorKind.Invalid, $"must be one of {string.Join(", ", All)}"),
    };

    /// <summary>The grain's check of a send: the policy above, and a payment only from the thread's client.</summary>
    public static void CheckMayPost(SendCommand command, long threadClientId)
    {
        if (Refusal(command.MessageType, command.Sender, command.IntegrationEvent is not null) is { } refusal)
        {
            throw new ChatException(refusal.Kind, refusal.Detail, "message_type");
        }
        if (command.MessageType == Payment && command.Sender.Id != threadClientId)
        {
            throw new ChatException(ChatErrorKind.Forbidden, "Only the thread's client initiates a payment.");
        }
    }
}
