using System.Text;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// Decides an upload's content type from what it declared and what its bytes are (spec §8): the declared type is
/// kept only if it is one of six and the bytes confirm it (a signature at the start, or for text/plain: well-formed
/// UTF-8 without NUL, checked over the whole file as it streams); anything else is application/octet-stream, so
/// nothing uploaded (HTML, SVG, a script) is ever served as something a browser would run.
/// </summary>
public sealed class ContentSniffer
{
    public const string OctetStream = "application/octet-stream";
    public const string TextPlain = "text/plain";

    private const int HeadBytes = 12;
    private readonly byte[] _head = new byte[HeadBytes];
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] _scratch = new char[4096];
    private int _headLength;
    private bool _isText = true;

    /// <summary>The types whose declaration can be kept, each with its check of the first bytes.</summary>
    private static readonly Dictionary<string, Func<ReadOnlyMemory<byte>, bool>> Signatures = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = h => h.Span.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ["image/jpeg"] = h => h.Span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        ["image/gif"] = h => h.Span.StartsWith("GIF87a"u8) || h.Span.StartsWith("GIF89a"u8),
        ["image/webp"] = h => h.Length >= 12 && h.Span.StartsWith("RIFF"u8) && h.Span[8..12].SequenceEqual("WEBP"u8),
        ["application/pdf"] = h => h.Span.StartsWith("%PDF-"u8),
    };

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(bytes.Length, HeadBytes - _headLength);
        bytes[..take].CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
        if (_isText && bytes.Contains((byte)0))
        {
            _isText = false;
        }
        Decode(bytes, flush: false);
    }

    /// <summary>After the last byte: a UTF-8 sequence left incomplete at the end is not text either.</summary>
    public void Finish() => Decode([], flush: true);

    private void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        if (!_isText)
        {
            return;
        }
        try
        {
            // The decoder keeps a sequence split across two reads for the next call.
            while (true)
            {
                _utf8.Convert(bytes, _scratch, flush, out var used, out _, out var completed);
                bytes = bytes[used..];
                if (completed)
                {
                    return;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            _isText = false;
        }
    }

    /// <summary>The type to store and serve, once every byte was appended and <see cref="Finish"/> called.</summary>
    public string Decide(string? declared)
    {
        var mediaType = MediaTypeOf(declared);
        if (mediaType is null)
        {
            return OctetStream;
        }
        if (string.Equals(mediaType, TextPlain, StringComparison.OrdinalIgnoreCase))
        {
            return _isText ? TextPlain : OctetStream;
        }
        return Signatures.TryGetValue(mediaType, out var confirms) && confirms(_head.AsMemory(0, _headLength))
            ? mediaType.ToLowerInvariant()
            : OctetStream;
    }

    /// <summary>Whether a stored type is shown inline (the four image types) rather than downloaded.</summary>
    public static bool IsInlineImage(string contentType) =>
        contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    private static string? MediaTypeOf(string? declared) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(declared, out var parsed) && parsed.MediaType.HasValue
            ? parsed.MediaType.Value
            : null;
}
