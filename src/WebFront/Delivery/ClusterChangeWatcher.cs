namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// Told by the Orleans client when its gateways change (a silo died, or came back): the threads that lived on a lost
/// silo get new activations, which know no observers, so every thread is resubscribed now instead of at the next
/// renewal. Resolves the registry lazily: the Orleans client builds this before the registry can exist.
/// </summary>
public sealed class ClusterChangeWatcher(IServiceProvider services) : IClusterConnectionStatusObserver
{
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        services.GetService<ThreadSubscriptions>()?.ResubscribeAll();

    public void NotifyClusterConnectionLost()
    {
        // Nothing to do yet: the gateway count change that follows a reconnection resubscribes.
    }
}
