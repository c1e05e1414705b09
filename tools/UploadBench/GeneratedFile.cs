using System.Net;

namespace OrleansChat.UploadBench;

/// <summary>
/// A multipart body with one file part of a given size, generated while it is sent, so the benchmark's own memory
/// stays flat and what it measures is the front's.
/// </summary>
public sealed class GeneratedFile : HttpContent
{
    private const string Boundary = "upload-bench-boundary";
    private readonly long _size;
    private readonly byte[] _head;
    private readonly byte[] _tail;

    public GeneratedFile(long size, string fileName)
    {
        _size = size;
        _head = System.Text.Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        _tail = System.Text.Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
        Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_head);
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        for (long sent = 0; sent < _size;)
        {
            var n = (int)Math.Min(chunk.Length, _size - sent);
            await stream.WriteAsync(chunk.AsMemory(0, n));
            sent += n;
        }
        await stream.WriteAsync(_tail);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _head.Length + _size + _tail.Length;
        return true;
    }
}
