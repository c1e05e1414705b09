using System.Diagnostics.Metrics;

namespace OrleansChat.Grains.Diagnostics;

/// <summary>The silo side of OrleansChat's meter ("OrleansChat"), exported at /metrics.</summary>
public static class ChatGrainMetrics
{
    private static readonly Meter Meter = new("OrleansChat");

    public static readonly Counter<long> MessagesCommitted = Meter.CreateCounter<long>(
        "chat.messages.committed", "{message}", "Messages durably committed to PostgreSQL.");

    public static readonly Histogram<int> CommitBatchSize = Meter.CreateHistogram<int>(
        "chat.commit.batch_size", "{message}", "Messages carried by one commit of one thread (group commit).");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "chat.commit.duration", "ms", "Time of one group commit, from the statement to its answer.");

    public static readonly UpDownCounter<long> ActiveThreads = Meter.CreateUpDownCounter<long>(
        "chat.threads.active", "{thread}", "Thread grains activated on this silo.");
}
