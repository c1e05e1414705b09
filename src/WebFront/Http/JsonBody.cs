using System.Text.Json;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// Reads a JSON request body by the spec's rules: JSON content type (415), at most 1 MiB (413), well-formed (400),
/// an object at the root (422). Well-formedness, malformed UTF-8 and lone surrogates included, is <see cref="JsonText"/>'s. Handlers then read fields through <see cref="FieldReader"/>.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body's root object, or null when the body is empty and <paramref name="optional"/>.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, bool optional = false)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new RequestProblemException(413, "The body is larger than 1 MiB.");
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new RequestProblemException(413, "The body is larger than 1 MiB.");
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0 && optional)
        {
            return null;
        }
        if (!IsJsonContentType(request.ContentType))
        {
            throw new RequestProblemException(415, "The body must be JSON (Content-Type: application/json).");
        }
        if (buffer.Length == 0)
        {
            throw new RequestProblemException(400, "A JSON body is required.");
        }
        using var document = JsonText.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), "body");
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.Clone()
            : throw new RequestProblemException(422, "The body must be a JSON object.", new Dictionary<string, string[]> { ["body"] = ["must be a JSON object"] });
    }

    private static bool IsJsonContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
