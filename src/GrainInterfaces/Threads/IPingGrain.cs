namespace OrleansChat.GrainInterfaces;

/// <summary>Answers at once: readiness probes and the benchmark's grain-call baseline use it.</summary>
[Alias("chat.IPingGrain")]
public interface IPingGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task<long> Ping(long value);
}
