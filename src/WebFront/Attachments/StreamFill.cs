namespace OrleansChat.WebFront.Attachments;

internal static class StreamFill
{
    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; answers how much was read.</summary>
    public static async Task<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
