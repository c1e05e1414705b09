using System.Net;
using System.Net.Http.Headers;

namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>A multipart-typed body of a declared length, generated while sent, that counts what the client sent.</summary>
public sealed class CountingContent : HttpContent
{
    private readonly long _length;

    public CountingContent(long length)
    {
        _length = length;
        Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
    }

    public long Sent { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = new byte[64 * 1024];
        while (Sent < _length)
        {
            var n = (int)Math.Min(chunk.Length, _length - Sent);
            await stream.WriteAsync(chunk.AsMemory(0, n));
            Sent += n;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
