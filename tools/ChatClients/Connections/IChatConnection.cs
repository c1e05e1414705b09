namespace OrleansChat.ChatClients;

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
    /// <summary>A chat_message event on a connection of <paramref name="receiverId"/>, checked against that connection's <paramref name="order"/>.</summary>
    void OnChatMessage(long receiverId, ReceivedMessage message, SeqOrderTracker order);

    void OnOtherEvent();

    void OnClosed(Exception? error);
}
