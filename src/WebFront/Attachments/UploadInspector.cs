using System.Security.Cryptography;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Attachments;

/// <summary>
/// The file part's bytes on their way to a store: counted (413 as soon as the 25 MiB limit is passed, before anything
/// beyond it is read), hashed with SHA-256 and looked at for the content type check, all as they stream through.
/// </summary>
public sealed class UploadInspector(Stream source, long maxBytes) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ContentSniffer _sniffer = new();

    /// <summary>Bytes read so far (all of them once the stream has ended).</summary>
    public long Size { get; private set; }

    /// <summary>The SHA-256 of everything read, lower-case hex; call after the end.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    /// <summary>The content type to keep for <paramref name="declared"/> (spec §8); call once, after the end.</summary>
    public string ContentType(string? declared)
    {
        _sniffer.Finish();
        return _sniffer.Decide(declared);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        Size += read;
        if (Size > maxBytes)
        {
            throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge, $"The file is larger than {maxBytes} bytes.");
        }
        var bytes = buffer.Span[..read];
        _sha256.AppendData(bytes);
        _sniffer.Append(bytes);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Size; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }
        base.Dispose(disposing);
    }
}
