namespace OrleansChat.LoadTest;

/// <summary>Which wire protocol the simulated clients speak.</summary>
public enum ClientProtocol
{
    SignalRJson,
    SignalRMessagePack,
    WebSocket,
}

/// <summary>Everything one benchmark run needs. Defaults match a stack started by <c>./chatctl up</c>.</summary>
public sealed class LoadTestOptions
{
    public string Scenario { get; set; } = "many-threads";

    /// <summary>Base addresses of the web fronts; connections are spread over them round-robin.</summary>
    public IReadOnlyList<Uri> Fronts { get; set; } = [new("http://127.0.0.1:5080/")];

    public ClientProtocol Protocol { get; set; } = ClientProtocol.SignalRJson;

    /// <summary>Measured time of each phase (after warm-up).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Measured time of each baseline.</summary>
    public TimeSpan BaselineDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Threads (many-threads, soak, fanout); null = the scenario's default.</summary>
    public int? Threads { get; set; }

    /// <summary>Concurrent senders (hot-thread); null = the scenario's default.</summary>
    public int? Senders { get; set; }

    /// <summary>Outstanding sends per sending connection in closed-loop mode.</summary>
    public int InFlight { get; set; } = 1;

    /// <summary>Fixed total send rate (msgs/s); null = closed loop (as fast as acks come back).</summary>
    public double? Rate { get; set; }

    /// <summary>With <see cref="Rate"/>: ramp the rate linearly from Rate to RampTo over the run (open loop).</summary>
    public double? RampTo { get; set; }

    /// <summary>many-threads: the fixed rate of the latency phase; null = half the measured peak, at most 5,000/s.</summary>
    public double? LatencyRate { get; set; }

    /// <summary>fanout: watching connections per thread besides the two participants.</summary>
    public int? Watchers { get; set; }

    /// <summary>idle-connections: connections to hold.</summary>
    public int? Connections { get; set; }

    /// <summary>history: messages stored in the big thread.</summary>
    public int? HistoryMessages { get; set; }

    /// <summary>idle-connections: child client processes (each holds at most ~9,000 sockets); null = automatic.</summary>
    public int? ClientProcesses { get; set; }

    public int MessageBytes { get; set; } = 64;

    /// <summary>Connections of the PostgreSQL baseline; null = the concurrency the silo can reach (outstanding sends, at most its pool of 100).</summary>
    public int? PgConcurrency { get; set; }

    /// <summary>HS256 key the fronts validate tokens with.</summary>
    public string JwtKey { get; set; } = TokenMinter.DevelopmentKey;

    /// <summary>PostgreSQL of the stack (PostgreSQL baseline, history seeding); null = skip those.</summary>
    public string? Database { get; set; }

    /// <summary>Redis of the stack's cluster membership (Orleans ping baseline); null = skip it.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "dev";

    public string ServiceId { get; set; } = "orleanschat";

    /// <summary>The chatctl run folder with silo-*.pid / front-*.pid (server CPU and memory); null = none.</summary>
    public string? RunDir { get; set; }

    /// <summary>The PostgreSQL data folder (postmaster.pid), for the database's CPU and memory; null = none.</summary>
    public string? PgDataDir { get; set; }

    /// <summary>Where the JSON and Markdown results go.</summary>
    public string OutputDir { get; set; } = Path.Combine(".chat", "bench");

    /// <summary>Baselines to run: pg, hub, ping (empty = none).</summary>
    public ISet<string> Baselines { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "pg", "hub", "ping" };

    /// <summary>First port of the bare hub baseline's processes.</summary>
    public int BareHubPort { get; set; } = 5900;

    /// <summary>Progress lines go here (null = silent).</summary>
    public TextWriter? Progress { get; set; } = Console.Out;

    public int SetupConcurrency { get; set; } = 32;

    /// <summary>Free-form note written into the report (e.g. what else ran on the machine).</summary>
    public string? Note { get; set; }
}
