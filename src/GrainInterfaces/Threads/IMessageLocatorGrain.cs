namespace OrleansChat.GrainInterfaces;

/// <summary>Finds the thread a message id belongs to (message ids are unique across the service).</summary>
[Alias("chat.IMessageLocatorGrain")]
public interface IMessageLocatorGrain : IGrainWithIntegerKey
{
    [Alias("FindThread")]
    Task<long?> FindThread(long messageId);
}
