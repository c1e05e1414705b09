namespace OrleansChat.GrainInterfaces;

/// <summary>Why a chat operation was refused; each kind maps to one HTTP status.</summary>
[GenerateSerializer, Alias("chat.ChatErrorKind")]
public enum ChatErrorKind
{
    NotFound = 404,
    Forbidden = 403,
    Conflict = 409,
    Invalid = 422,
    Unavailable = 503,
}

/// <summary>A refusal that crosses grain boundaries and becomes problem+json, a hub error or a WebSocket error.</summary>
[GenerateSerializer, Alias("chat.ChatException")]
public sealed class ChatException : Exception
{
    public ChatException()
    {
    }

    public ChatException(string message) : base(message)
    {
    }

    public ChatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ChatException(ChatErrorKind kind, string message, string? field = null) : base(message)
    {
        Kind = kind;
        Field = field;
    }

    [Id(0)]
    public ChatErrorKind Kind { get; init; } = ChatErrorKind.Invalid;

    /// <summary>The request field at fault, for validation errors.</summary>
    [Id(1)]
    public string? Field { get; init; }

    public static ChatException NotFound() => new(ChatErrorKind.NotFound, "Not found.");

    public static ChatException Unavailable(string what) =>
        new(ChatErrorKind.Unavailable, $"{what} is unavailable for a moment; retry with the same client_message_id.");
}
