namespace OrleansChat.Grains.Threads;

[StatelessWorker]
public sealed class PingGrain : Grain, IPingGrain
{
    public Task<long> Ping(long value) => Task.FromResult(value);
}
