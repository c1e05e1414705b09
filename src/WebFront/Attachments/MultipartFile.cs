using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Attachments;

/// <summary>The part named <c>file</c> of a multipart/form-data body: its name, declared type and a stream of its bytes.</summary>
public sealed record MultipartFile(string FileName, string? DeclaredType, Stream Body);

/// <summary>
/// Reads a multipart/form-data request as it arrives (no form buffering: ASP.NET's form reader would spool the file
/// to memory or disk first). Other parts are skipped; the file part is handed over unread, to be streamed to a store.
/// </summary>
public static class MultipartFiles
{
    /// <summary>Part headers and everything around the file: boundaries, a few small fields.</summary>
    public const int MaxOverheadBytes = 64 * 1024;

    public const string FieldName = "file";

    public static async Task<MultipartFile> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            throw new RequestProblemException(StatusCodes.Status415UnsupportedMediaType, "The body must be multipart/form-data with a boundary and one part named 'file'.");
        }
        // No per-part limit here: the file part's is the caller's (413 at the first byte too many), the others' the
        // request's (MaxOverheadBytes beyond the file).
        var reader = new MultipartReader(boundary.ToString(), request.Body) { BodyLengthLimit = null, HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FieldName, StringComparison.Ordinal))
                {
                    var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    return new MultipartFile(FileNames.Clean(name), section.ContentType, section.Body);
                }
                await section.Body.DrainAsync(cancellationToken);
            }
        }
        catch (InvalidDataException e)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, $"The multipart body is not well-formed: {e.Message}");
        }
        throw RequestProblemException.Invalid(FieldName, "This field is required.");
    }
}
