
namespace OrleansChat.LoadTest.Scenarios;

/// <summary>A connection that sends into one thread.</summary>
public sealed record SenderSlot(IChatConnection Connection, long ThreadId);

/// <summary>How one measured phase drives its senders.</summary>
public sealed class DriveSpec
{
    /// <summary>Null = closed loop: every sender keeps <see cref="InFlight"/> sends outstanding.</summary>
    public double? Rate { get; init; }

    public double? RampTo { get; init; }

    public int InFlight { get; init; } = 1;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public int MessageBytes { get; init; } = 64;

    /// <summary>Fixed-rate sends beyond this many outstanding are dropped and counted as "client backlog".</summary>
    public int MaxOutstanding { get; init; } = 50_000;

    /// <summary>Seconds per window sample (soak); 0 = none.</summary>
    public double WindowSeconds { get; init; }

    public string Mode => Rate is null ? "closed-loop" : RampTo is null ? "fixed-rate" : "ramp";
}
