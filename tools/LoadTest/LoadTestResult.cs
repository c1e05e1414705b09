namespace OrleansChat.LoadTest;

/// <summary>The outcome of one run: what was measured, the baselines, and each figure next to its baseline.</summary>
public sealed class LoadTestResult
{
    public string Scenario { get; set; } = "";

    public string Protocol { get; set; } = "";

    public DateTime StartedAt { get; set; }

    public double ElapsedSeconds { get; set; }

    public MachineInfo Machine { get; set; } = new();

    public Dictionary<string, string> Settings { get; } = [];

    public List<Measurement> Measurements { get; } = [];

    public List<BaselineResult> Baselines { get; } = [];

    public List<Comparison> Comparisons { get; } = [];

    public List<string> Notes { get; } = [];

    public string? JsonPath { get; set; }

    public string? MarkdownPath { get; set; }

    public Measurement? Find(string name) => Measurements.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// The chat's inversions and missing seqs over the whole run (each target counts on its own and never resets, so
    /// the largest is the total). Baselines (the bare hub) promise no order: their counts are context, not a verdict.
    /// </summary>
    public (long Inversions, long Missing) OrderViolations => OrderCounts(ChatTarget);

    public (long Inversions, long Missing) OrderCounts(string target)
    {
        var of = Measurements.Where(m => m.Target == target).ToArray();
        return of.Length == 0 ? (0, 0) : (of.Max(m => m.SeqInversions), of.Max(m => m.SeqMissing));
    }

    /// <summary>The target name of the system under test (baselines have their own).</summary>
    public const string ChatTarget = "chat";

    /// <summary>Spec §6 held on every connection: no inversion, no gap.</summary>
    public bool OrderHeld => OrderViolations is (0, 0);
}

public sealed class MachineInfo
{
    public int Cores { get; set; } = Environment.ProcessorCount;

    public string Os { get; set; } = System.Runtime.InteropServices.RuntimeInformation.OSDescription;

    public string Runtime { get; set; } = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    public double MemoryGiB { get; set; }

    public string CpuModel { get; set; } = "";

    public double[] LoadAverageAtStart { get; set; } = [];
}

/// <summary>One measured phase against one target (the chat stack or a baseline server).</summary>
public sealed class Measurement
{
    public string Name { get; set; } = "";

    public string Target { get; set; } = "";

    public string Protocol { get; set; } = "";

    /// <summary>closed-loop, fixed-rate or ramp.</summary>
    public string Mode { get; set; } = "";

    public double? TargetRate { get; set; }

    public double DurationSeconds { get; set; }

    public long Sent { get; set; }

    public long Acked { get; set; }

    public long Delivered { get; set; }

    public long OtherEvents { get; set; }

    public double AcksPerSecond { get; set; }

    public double DeliveriesPerSecond { get; set; }

    /// <summary>Send → ack (durable: the hub's return value or the sender's own echo).</summary>
    public LatencySummary AckLatency { get; set; } = new();

    /// <summary>Send → arrival at another participant's connection.</summary>
    public LatencySummary DeliveryLatency { get; set; } = new();

    public Dictionary<string, long> Errors { get; set; } = [];

    public long ErrorCount => Errors.Values.Sum();

    public int ConnectionsHeld { get; set; }

    public int ConnectionsFailed { get; set; }

    /// <summary>Run so far: chat_messages that arrived at or below their connection's last seq (spec §6 says 0).</summary>
    public long SeqInversions { get; set; }

    /// <summary>Run so far: seqs connections jumped over, i.e. live messages never delivered (spec §6 says 0).</summary>
    public long SeqMissing { get; set; }

    public List<ProcessSample> Processes { get; set; } = [];

    /// <summary>Scenario-specific figures (e.g. memory per connection, drift).</summary>
    public Dictionary<string, double> Extra { get; set; } = [];

    public List<WindowSample> Windows { get; set; } = [];
}

public sealed class LatencySummary
{
    public long Count { get; set; }

    public double P50Ms { get; set; }

    public double P90Ms { get; set; }

    public double P99Ms { get; set; }

    public double P999Ms { get; set; }

    public double MaxMs { get; set; }

    public double MeanMs { get; set; }
}

/// <summary>CPU (percent of one core) and resident memory of one process over a measurement.</summary>
public sealed class ProcessSample
{
    public string Name { get; set; } = "";

    public int Pid { get; set; }

    public double CpuPercent { get; set; }

    public double RssMbStart { get; set; }

    public double RssMbEnd { get; set; }

    public double RssMbPeak { get; set; }
}

/// <summary>A slice of a long run (soak): rate, latency and memory over time.</summary>
public sealed class WindowSample
{
    public double AtSeconds { get; set; }

    public double AcksPerSecond { get; set; }

    public double DeliveryP50Ms { get; set; }

    public double DeliveryP99Ms { get; set; }

    public double ServerRssMb { get; set; }

    public long Errors { get; set; }
}

public sealed class BaselineResult
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public double Value { get; set; }

    public string Unit { get; set; } = "";

    public int Concurrency { get; set; }

    public LatencySummary Latency { get; set; } = new();

    public long Errors { get; set; }
}

/// <summary>One figure next to its baseline, with the ratio and the goal.</summary>
public sealed class Comparison
{
    public string Metric { get; set; } = "";

    public double Value { get; set; }

    public string Unit { get; set; } = "";

    public string Baseline { get; set; } = "";

    public double? BaselineValue { get; set; }

    public double? Ratio { get; set; }

    public string Goal { get; set; } = "";

    public bool? GoalMet { get; set; }
}
