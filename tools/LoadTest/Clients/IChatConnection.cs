namespace OrleansChat.LoadTest.Clients;

/// <summary>One simulated client connection (a hub connection of a user, or a WebSocket of a user in one thread).</summary>
public interface IChatConnection : IAsyncDisposable
{
    long UserId { get; }

    Task ConnectAsync(CancellationToken ct);

    /// <summary>Starts receiving a thread's live events (hub: JoinThread; WebSocket: the socket is per thread already).</summary>
    Task JoinAsync(long threadId, CancellationToken ct);

    /// <summary>Sends and completes when the durable ack arrives (hub return value, or the sender's own echo).</summary>
    Task SendAsync(long threadId, string text, string clientMessageId);
}

/// <summary>What a connection reports upwards: chat_message arrivals and other events.</summary>
public interface IDeliverySink
{
    /// <summary>A chat_message event; <paramref name="clientMessageId"/> carries the send's stamp.</summary>
    void OnChatMessage(long receiverId, long senderId, string? clientMessageId);

    void OnOtherEvent();

    void OnClosed(Exception? error);
}
