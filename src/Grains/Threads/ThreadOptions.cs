namespace OrleansChat.Grains.Threads;

public sealed class ThreadOptions
{
    public const string Section = "Chat:Threads";

    /// <summary>The most messages one commit carries for one thread.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a typing indicator lives without a renewal (the spec allows at most 10 s).</summary>
    public TimeSpan TypingExpiry { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a front's subscription lives without renewal.</summary>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many bytes of recent client_message_ids an activation remembers (older ones are found in the database).</summary>
    public int RecentClientIdBytes { get; set; } = 1024 * 1024;
}
