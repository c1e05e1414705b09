using System.Buffers;
using System.Net.WebSockets;
using RawWebSocket = System.Net.WebSockets.WebSocket;

namespace OrleansChat.WebFront.WebSocket;

public enum FrameKind
{
    Text,
    Binary,
    TooLarge,
    Close,
}

/// <summary>One complete client message. <see cref="Payload"/> is valid only until the next read.</summary>
public readonly record struct IncomingFrame(FrameKind Kind, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Reassembles client messages that arrive in several WebSocket frames (EndOfMessage) and enforces the size limit
/// without buffering more than the limit: an oversized message is reported as soon as it crosses the limit and its
/// remainder is skipped by later reads.
/// </summary>
public sealed class FrameReader(RawWebSocket socket, int maxBytes)
{
    private const int ChunkBytes = 16 * 1024;
    private const int RetainedBufferBytes = 64 * 1024;
    private readonly byte[] _chunk = new byte[ChunkBytes];
    private ArrayBufferWriter<byte> _buffer = new(ChunkBytes);
    private bool _skippingRest;

    public async Task<IncomingFrame> ReadAsync(CancellationToken cancellationToken)
    {
        // One large message must not pin its buffer for the connection's lifetime.
        if (_buffer.Capacity > RetainedBufferBytes)
        {
            _buffer = new ArrayBufferWriter<byte>(ChunkBytes);
        }
        _buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(_chunk.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new IncomingFrame(FrameKind.Close, default);
            }
            if (_skippingRest)
            {
                _skippingRest = !result.EndOfMessage;
                continue;
            }
            if (_buffer.WrittenCount + result.Count > maxBytes)
            {
                _skippingRest = !result.EndOfMessage;
                _buffer.ResetWrittenCount();
                return new IncomingFrame(FrameKind.TooLarge, default);
            }
            _buffer.Write(_chunk.AsSpan(0, result.Count));
            if (result.EndOfMessage)
            {
                var kind = result.MessageType == WebSocketMessageType.Binary ? FrameKind.Binary : FrameKind.Text;
                return new IncomingFrame(kind, _buffer.WrittenMemory);
            }
        }
    }
}
