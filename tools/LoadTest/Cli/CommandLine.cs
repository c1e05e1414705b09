using OrleansChat.LoadTest.Scenarios;
using OrleansChat.ToolKit.Cli;

namespace OrleansChat.LoadTest.Cli;

/// <summary>Parses `LoadTest [SCENARIO] [--option value ...]` into <see cref="LoadTestOptions"/>.</summary>
public static class CommandLine
{
    public static string Usage => $"""
        Usage: LoadTest [SCENARIO] [OPTIONS]
               LoadTest baseline-hub --port N          (the bare SignalR hub baseline, used as a child process)
               LoadTest hold --fronts URLS --count N --user-base ID [--protocol json|messagepack] [--jwt-key K]

        Scenarios (default many-threads):
        {string.Join(Environment.NewLine, ScenarioCatalog.All.Select(s => $"  {s.Name,-18} {s.Description}"))}

        Options:
          --fronts URL[,URL]       web fronts (default http://127.0.0.1:5080/)
          --protocol P             json | messagepack | websocket (default json = SignalR JSON)
          --duration T             measured time per phase, e.g. 30s, 2m (default 30s)
          --warmup T               un-measured warm-up per phase (default 3s)
          --baseline-duration T    time per PostgreSQL / Orleans ping baseline (default 10s)
          --threads N              threads (many-threads 1000, soak 200, fanout 1)
          --senders N              hot-thread: concurrent senders (default 64); fanout: sending connections (16)
          --in-flight N            closed loop: outstanding sends per sending connection (default 1)
          --rate R                 fixed total send rate msgs/s (open loop, coordinated-omission corrected)
          --ramp-to R              with --rate: ramp linearly from --rate to R over the run
          --latency-rate R         many-threads: rate of the latency phase (default min(5000, peak/2))
          --watchers N             fanout: watching connections per thread (default 100)
          --connections N          idle-connections: connections to hold (default 20000)
          --client-processes N     idle-connections: child client processes (default: one per 9,000)
          --history-messages N     history: messages in the long thread (default 1000000)
          --message-bytes N        message text length (default 64)
          --baselines LIST         pg,hub,ping | none (default all three)
          --pg-concurrency N       PostgreSQL baseline connections (default: outstanding sends, at most 100)
          --db CONNSTRING          the stack's PostgreSQL (the PostgreSQL baseline)
          --redis HOST:PORT        the stack's Redis (Orleans ping baseline)
          --cluster-id ID          Orleans cluster id (default dev)
          --jwt-key KEY            token signing key (default: the Development key)
          --run-dir DIR            chatctl run folder with *.pid (server CPU/memory from /proc)
          --pg-data DIR            PostgreSQL data folder (postmaster.pid)
          --out DIR                result folder (default .chat/bench)
          --bare-hub-port N        first port of the bare hub baseline (default 5900)
          --note TEXT              a line for the report (e.g. what else loaded the machine)
          --quiet                  no progress output
        """;

    private static readonly string[] ValueOptions =
    [
        "--fronts", "--protocol", "--duration", "--warmup", "--baseline-duration", "--threads", "--senders", "--in-flight",
        "--rate", "--ramp-to", "--latency-rate", "--watchers", "--connections", "--client-processes", "--history-messages",
        "--message-bytes", "--pg-concurrency", "--baselines", "--db", "--redis", "--cluster-id", "--service-id", "--jwt-key",
        "--run-dir", "--pg-data", "--out", "--bare-hub-port", "--note",
    ];

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var a = ToolArgs.Parse(args, ValueOptions, ["--quiet"]);
        var o = new LoadTestOptions();
        if (a.Verb is { } scenario)
        {
            o.Scenario = ScenarioCatalog.Find(scenario).Name;
        }
        o.Fronts = a.Uris("--fronts") ?? o.Fronts;
        o.Protocol = a.String("--protocol") is { } protocol ? Protocol(protocol) : o.Protocol;
        o.Duration = a.Duration("--duration") ?? o.Duration;
        o.Warmup = a.Duration("--warmup") ?? o.Warmup;
        o.BaselineDuration = a.Duration("--baseline-duration") ?? o.BaselineDuration;
        o.Threads = a.Int("--threads") ?? o.Threads;
        o.Senders = a.Int("--senders") ?? o.Senders;
        o.InFlight = a.Int("--in-flight") ?? o.InFlight;
        o.Rate = a.Positive("--rate") ?? o.Rate;
        o.RampTo = a.Positive("--ramp-to") ?? o.RampTo;
        o.LatencyRate = a.Positive("--latency-rate") ?? o.LatencyRate;
        o.Watchers = a.Int("--watchers") ?? o.Watchers;
        o.Connections = a.Int("--connections") ?? o.Connections;
        o.ClientProcesses = a.Int("--client-processes") ?? o.ClientProcesses;
        o.HistoryMessages = a.Int("--history-messages") ?? o.HistoryMessages;
        o.MessageBytes = a.Int("--message-bytes") ?? o.MessageBytes;
        o.PgConcurrency = a.Int("--pg-concurrency") ?? o.PgConcurrency;
        o.Baselines = a.Words("--baselines", ["pg", "hub", "ping"]) is { } baselines ? new HashSet<string>(baselines, StringComparer.OrdinalIgnoreCase) : o.Baselines;
        o.Database = a.String("--db") ?? o.Database;
        o.Redis = a.String("--redis") ?? o.Redis;
        o.ClusterId = a.String("--cluster-id") ?? o.ClusterId;
        o.ServiceId = a.String("--service-id") ?? o.ServiceId;
        o.JwtKey = a.String("--jwt-key") ?? o.JwtKey;
        o.RunDir = a.String("--run-dir") ?? o.RunDir;
        o.PgDataDir = a.String("--pg-data") ?? o.PgDataDir;
        o.OutputDir = a.String("--out") ?? o.OutputDir;
        o.BareHubPort = a.Int("--bare-hub-port") ?? o.BareHubPort;
        o.Note = a.String("--note") ?? o.Note;
        if (a.Flag("--quiet"))
        {
            o.Progress = null;
        }
        if (o.RampTo is not null && o.Rate is null)
        {
            throw new ArgumentException("--ramp-to needs --rate (the starting rate)");
        }
        return o;
    }

    public static ClientProtocol Protocol(string value) => value.ToLowerInvariant() switch
    {
        "json" or "signalr" or "signalr-json" => ClientProtocol.SignalRJson,
        "messagepack" or "msgpack" or "signalr-messagepack" => ClientProtocol.SignalRMessagePack,
        "websocket" or "ws" => ClientProtocol.WebSocket,
        _ => throw new ArgumentException($"--protocol must be json, messagepack or websocket (got '{value}')"),
    };
}
