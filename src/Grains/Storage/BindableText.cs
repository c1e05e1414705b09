namespace OrleansChat.Grains.Storage;

/// <summary>
/// What PostgreSQL refuses while binding a statement's parameters: a NUL character in text (SQLSTATE 22021). Rows
/// with one are refused here, before any SQL is sent, because a refusal at bind time on an auto-prepared statement
/// can leave the connection out of step with the server (npgsql/npgsql#6391: the next statement on it reads a stray
/// row). Refusals at execution time (a <c>\u0000</c> escape in jsonb, a taken seq) keep the protocol in step.
/// </summary>
public static class BindableText
{
    /// <summary>The field of the first row with a NUL in any text it binds, or null when every row can be bound.</summary>
    public static string? FirstProblem(IEnumerable<NewMessage> rows)
    {
        foreach (var row in rows)
        {
            if (HasNul(row.Text))
            {
                return "message";
            }
            if (HasNul(row.MetadataJson))
            {
                return "metadata";
            }
            if (HasNul(row.ClientMessageId))
            {
                return "client_message_id";
            }
            if (HasNul(row.MessageType) || HasNul(row.Sender.Username) || HasNul(row.Event?.EventType) || HasNul(row.Event?.PayloadJson))
            {
                return "message";
            }
        }
        return null;
    }

    private static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
}
