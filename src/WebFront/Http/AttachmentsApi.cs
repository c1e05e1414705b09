using System.Globalization;
using Microsoft.Net.Http.Headers;
using OrleansChat.WebFront.Attachments;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// Attachments (spec §8): <c>POST /api/chat/threads/{id}/attachments/</c> (multipart, one part <c>file</c>) and
/// <c>GET /api/chat/attachments/{id}/</c>, which streams the bytes from whichever store holds them, with Range.
/// </summary>
public static class AttachmentsApi
{
    public static RouteGroupBuilder MapAttachmentsApi(this RouteGroupBuilder chat)
    {
        chat.MapPost("/threads/{id:long}/attachments/", Upload).MultipartFile("file").Answers<UploadedAttachmentJson>(201).Problems(404);
        chat.MapMethods("/attachments/{id:long}/", [HttpMethods.Get, HttpMethods.Head], Download).AnswersFile().Problems(404);
        return chat;
    }

    private static async Task<IResult> Upload(long id, HttpContext http, AttachmentUploads uploads)
    {
        var uploaded = await uploads.UploadAsync(http.User.ToCaller(), id, http.Request, http.RequestAborted);
        http.Response.Headers.Location = uploaded.Url;
        return Results.Json(uploaded, WireJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task Download(long id, HttpContext http, AttachmentDownloads downloads)
    {
        var (record, store) = await downloads.AuthorizeAsync(http.User.ToCaller(), id, http.RequestAborted);
        var request = http.Request;
        var response = http.Response;
        var entityTag = $"\"{record.Sha256}\"";
        var answer = ByteRanges.Evaluate(request.Headers.Range, request.Headers.IfRange, entityTag, record.Size);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = entityTag;
        response.Headers.CacheControl = "private, no-cache";
        if (answer.Kind == RangeKind.Unsatisfiable)
        {
            await WriteUnsatisfiableAsync(response, record.Size);
            return;
        }
        response.Headers.ContentDisposition = Disposition(record);
        // Only the checked types are served as themselves; text was checked to be UTF-8.
        response.ContentType = record.ContentType == ContentSniffer.TextPlain ? "text/plain; charset=utf-8" : record.ContentType;
        if (answer.Kind == RangeKind.Partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = new ContentRangeHeaderValue(answer.From, answer.From + answer.Length - 1, record.Size).ToString();
        }
        response.ContentLength = answer.Length;
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }
        await store.CopyToAsync(record.Id, answer.From, answer.Length, response.Body, http.RequestAborted);
    }

    /// <summary><c>attachment</c> with the name (RFC 6266, UTF-8 in <c>filename*</c>), <c>inline</c> for the four image types.</summary>
    private static string Disposition(AttachmentRecord record)
    {
        var disposition = new ContentDispositionHeaderValue(ContentSniffer.IsInlineImage(record.ContentType) ? "inline" : "attachment");
        disposition.SetHttpFileName(record.FileName);
        return disposition.ToString();
    }

    /// <summary>416 as problem+json, with <c>Content-Range: bytes */size</c> (which the shared problem writer would clear).</summary>
    private static async Task WriteUnsatisfiableAsync(HttpResponse response, long size)
    {
        response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
        response.ContentType = "application/problem+json";
        response.Headers.ContentRange = "bytes */" + size.ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["type"] = "https://httpstatuses.io/416",
            ["title"] = "Range Not Satisfiable",
            ["status"] = 416,
            ["detail"] = $"The range starts at or beyond the end of the file ({size} bytes).",
        }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
