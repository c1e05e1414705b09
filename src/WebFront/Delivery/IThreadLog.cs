namespace OrleansChat.WebFront.Delivery;

/// <summary>The committed messages of a thread, read by seq: where the delivery path fills what the live feed lost.</summary>
public interface IThreadLog
{
    /// <summary>At most <paramref name="limit"/> messages with seq above <paramref name="afterSeq"/>, ascending.</summary>
    Task<IReadOnlyList<ChatMessage>> ReadAfterAsync(long threadId, long afterSeq, int limit);
}

/// <summary>Reads through the thread grain as the front itself (a service caller: it reads any thread, acts on none).</summary>
public sealed class GrainThreadLog(IClusterClient cluster) : IThreadLog
{
    /// <summary>Who the front is when it reads for delivery; never a participant, never sends.</summary>
    public static readonly Caller FrontReader = new(0, "chat-front", UserRole.Service);

    public async Task<IReadOnlyList<ChatMessage>> ReadAfterAsync(long threadId, long afterSeq, int limit)
    {
        var page = await cluster.GetGrain<IThreadGrain>(threadId).GetMessages(FrontReader, null, afterSeq, limit);
        return [.. page.Messages.Select(m => m.Message)];
    }
}
