using OrleansChat.ToolKit.Cli;

namespace OrleansChat.Chaos;

/// <summary>Settings of <c>LoadTest chaos</c> (driven by <c>./chatctl chaos</c>).</summary>
public sealed class ChaosOptions
{
    public static readonly string[] AllFaults = ["silo-kill", "pg-restart", "redis-restart", "front-kill"];

    /// <summary>The faults of <c>chatctl cluster fault</c> (the cluster of hosts), in their default order.</summary>
    public static readonly string[] ClusterFaults =
        ["silo-partition", "front-silo-cut", "silo-db-cut", "redis-cut", "silo-freeze", "pg-primary-kill", "silo-rolling", "front-rolling"];

    /// <summary>Faults that are over when their injection returns (a rolling restart): no outage is held after them.</summary>
    public static readonly string[] SelfHealingFaults = ["silo-rolling", "front-rolling"];

    /// <summary>
    /// Faults the cluster must ride through while they last (another silo, front or PostgreSQL node takes over), so
    /// recovery is measured from the injection; for the others (a whole dependency away) from the heal.
    /// </summary>
    public static readonly string[] ToleratedFaults =
        ["silo-kill", "front-kill", "silo-partition", "front-silo-cut", "redis-cut", "silo-freeze", "pg-primary-kill", "silo-rolling", "front-rolling"];

    public IReadOnlyList<Uri> Fronts { get; set; } = [new("http://127.0.0.1:5080/")];

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

    public int Threads { get; set; } = 16;

    /// <summary>Total send rate over all senders (msgs/s).</summary>
    public double Rate { get; set; } = 40;

    public IReadOnlyList<string> Faults { get; set; } = AllFaults;

    /// <summary>How long PostgreSQL / Redis stay down, and how long a killed process stays dead before it is restarted.</summary>
    public TimeSpan Outage { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Load before the first fault, so recovery is measured against a cluster in its steady state.</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The least time after a heal before the next fault (or the end of the load).</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Load after the last fault's window.</summary>
    public TimeSpan Tail { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Executable that injects and heals faults: called as FAULT_COMMAND inject|heal KIND.</summary>
    public string FaultCommand { get; set; } = "./chatctl";

    public IReadOnlyList<string> FaultCommandPrefix { get; set; } = ["chaos-fault"];

    public string Database { get; set; } = "Host=127.0.0.1;Port=15432;Username=orleanschat;Password=orleanschat;Database=orleanschat";

    public string JwtKey { get; set; } = TokenMinter.DevelopmentKey;

    public string OutputDir { get; set; } = Path.Combine(".chat", "chaos");

    public static string Usage => """
        Usage: Chaos [OPTIONS]          (run by ./chatctl chaos)
          --fronts URL[,URL]     web fronts; clients are spread over them and fail over on loss
          --duration T           total load time incl. warm-up and faults (default 5m)
          --threads N            sender/receiver pairs (default 16)
          --rate R               total sends/s (default 40)
          --faults LIST          silo-kill,pg-restart,redis-restart,front-kill (default all, in that order)
          --outage T             time PostgreSQL/Redis stay down and killed processes stay dead (default 15s)
          --fault-command PATH   called as PATH chaos-fault inject|heal KIND (default ./chatctl)
          --cluster              faults of the cluster of hosts: PATH cluster fault inject|heal KIND, and
                                 --faults takes silo-partition,front-silo-cut,silo-db-cut,redis-cut,silo-freeze,
                                 pg-primary-kill,silo-rolling,front-rolling (default all)
          --warmup T             load before the first fault (default 15s)
          --settle T             least time after a heal before the next fault (default 20s)
          --db CONNSTRING        the stack's PostgreSQL (for the final comparison)
          --jwt-key KEY          token signing key
          --out DIR              result folder (default .chat/chaos)
        """;

    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        var a = ToolArgs.Parse(args,
            ["--fronts", "--duration", "--threads", "--rate", "--outage", "--fault-command", "--db", "--jwt-key", "--out", "--faults", "--warmup", "--settle"],
            ["--cluster"]);
        if (a.Verb is not (null or "chaos"))
        {
            throw new ArgumentException($"unknown command '{a.Verb}' (see --help)");
        }
        var o = new ChaosOptions();
        o.Fronts = a.Uris("--fronts") ?? o.Fronts;
        o.Duration = a.Duration("--duration") ?? o.Duration;
        o.Threads = a.Int("--threads") ?? o.Threads;
        o.Rate = a.Positive("--rate") ?? o.Rate;
        o.Outage = a.Duration("--outage") ?? o.Outage;
        o.FaultCommand = a.String("--fault-command") ?? o.FaultCommand;
        o.Database = a.String("--db") ?? o.Database;
        o.JwtKey = a.String("--jwt-key") ?? o.JwtKey;
        o.OutputDir = a.String("--out") ?? o.OutputDir;
        o.Warmup = a.Duration("--warmup") ?? o.Warmup;
        o.Settle = a.Duration("--settle") ?? o.Settle;
        if (a.Flag("--cluster"))
        {
            o.FaultCommandPrefix = ["cluster", "fault"];
            o.Faults = ClusterFaults;
        }
        o.Faults = a.Words("--faults", a.Flag("--cluster") ? ClusterFaults : AllFaults) ?? o.Faults;
        if (o.Threads < 1)
        {
            throw new ArgumentException("--threads must be positive");
        }
        return o;
    }
}
