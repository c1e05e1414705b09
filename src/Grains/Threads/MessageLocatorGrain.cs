using OrleansChat.Grains.Storage;

namespace OrleansChat.Grains.Threads;

/// <summary>Message id → thread id, straight from the log's primary key; stateless, so it scales out on every silo.</summary>
[StatelessWorker]
public sealed class MessageLocatorGrain(MessageStore messages) : Grain, IMessageLocatorGrain
{
    public Task<long?> FindThread(long messageId) => messages.FindThreadOfAsync(messageId);
}
