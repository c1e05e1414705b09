using System.Text.Json;

namespace OrleansChat.WebFront.Json;

// The request bodies of spec §3 and §7, as the OpenAPI document shows them. Handlers parse bodies themselves
// (FieldReader), so the status codes of §3 (400 malformed, 415 not JSON, 422 invalid) stay theirs; these records
// only describe the accepted shape, and OpenApiTests keeps them honest against the parser.

public sealed record CreateThreadBody(long Client, long Freelancer, long? Job = null);

public sealed record UpdateThreadBody(bool? IsMuted = null, bool? IsArchived = null, bool? IsActive = null, bool? IsPinned = null);

public sealed record SendMessageBody(string Message, string? MessageType = null, JsonElement? Metadata = null, string? ClientMessageId = null, long? ReplyTo = null);

public sealed record EditMessageBody(string Message, JsonElement? Metadata = null);

public sealed record MarkReadBody(IReadOnlyList<long>? MessageIds = null, long? UpToSeq = null);

public sealed record MarkDeliveredBody(long UpToSeq);

public sealed record CreateDisputeBody(string Reason, string? Description = null);

public sealed record InitiatePaymentBody(string Amount, string? Currency = null, string? Description = null);

public sealed record JobUpdateBody(string Status, string? Note = null);

public sealed record RegisterUserBody(string Username, string Role, string? CompanyName = null, string? Title = null, string? Rate = null);
