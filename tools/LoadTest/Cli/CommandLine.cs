using OrleansChat.LoadTest.Scenarios;

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
          --db CONNSTRING          the stack's PostgreSQL (PostgreSQL baseline, history seeding)
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

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadTestOptions();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            o.Scenario = ScenarioCatalog.Find(args[0]).Name;
            i = 1;
        }
        for (; i < args.Count; i++)
        {
            var name = args[i];
            string? inline = null;
            if (name.Contains('=', StringComparison.Ordinal))
            {
                inline = name[(name.IndexOf('=') + 1)..];
                name = name[..name.IndexOf('=')];
            }
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"option {name} needs a value"));
            switch (name)
            {
                case "--fronts": o.Fronts = Fronts(Value()); break;
                case "--protocol": o.Protocol = Protocol(Value()); break;
                case "--duration": o.Duration = Time(Value()); break;
                case "--warmup": o.Warmup = Time(Value()); break;
                case "--baseline-duration": o.BaselineDuration = Time(Value()); break;
                case "--threads": o.Threads = Int(name, Value()); break;
                case "--senders": o.Senders = Int(name, Value()); break;
                case "--in-flight": o.InFlight = Int(name, Value()); break;
                case "--rate": o.Rate = Double(name, Value()); break;
                case "--ramp-to": o.RampTo = Double(name, Value()); break;
                case "--latency-rate": o.LatencyRate = Double(name, Value()); break;
                case "--watchers": o.Watchers = Int(name, Value()); break;
                case "--connections": o.Connections = Int(name, Value()); break;
                case "--client-processes": o.ClientProcesses = Int(name, Value()); break;
                case "--history-messages": o.HistoryMessages = Int(name, Value()); break;
                case "--message-bytes": o.MessageBytes = Int(name, Value()); break;
                case "--pg-concurrency": o.PgConcurrency = Int(name, Value()); break;
                case "--baselines": o.Baselines = Baselines(Value()); break;
                case "--db": o.Database = Value(); break;
                case "--redis": o.Redis = Value(); break;
                case "--cluster-id": o.ClusterId = Value(); break;
                case "--service-id": o.ServiceId = Value(); break;
                case "--jwt-key": o.JwtKey = Value(); break;
                case "--run-dir": o.RunDir = Value(); break;
                case "--pg-data": o.PgDataDir = Value(); break;
                case "--out": o.OutputDir = Value(); break;
                case "--bare-hub-port": o.BareHubPort = Int(name, Value()); break;
                case "--note": o.Note = Value(); break;
                case "--quiet": o.Progress = null; break;
                default: throw new ArgumentException($"unknown option '{name}' (see --help)");
            }
        }
        if (o.RampTo is not null && o.Rate is null)
        {
            throw new ArgumentException("--ramp-to needs --rate (the starting rate)");
        }
        return o;
    }

    public static IReadOnlyList<Uri> Fronts(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => new Uri(f.EndsWith('/') ? f : f + "/"))];

    public static ClientProtocol Protocol(string value) => value.ToLowerInvariant() switch
    {
        "json" or "signalr" or "signalr-json" => ClientProtocol.SignalRJson,
        "messagepack" or "msgpack" or "signalr-messagepack" => ClientProtocol.SignalRMessagePack,
        "websocket" or "ws" => ClientProtocol.WebSocket,
        _ => throw new ArgumentException($"--protocol must be json, messagepack or websocket (got '{value}')"),
    };

    /// <summary>"30s", "2m", "500ms", "1h" or plain seconds.</summary>
    public static TimeSpan Time(string value)
    {
        static double N(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        try
        {
            return value switch
            {
                _ when value.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(N(value[..^2])),
                _ when value.EndsWith('s') => TimeSpan.FromSeconds(N(value[..^1])),
                _ when value.EndsWith('m') => TimeSpan.FromMinutes(N(value[..^1])),
                _ when value.EndsWith('h') => TimeSpan.FromHours(N(value[..^1])),
                _ => TimeSpan.FromSeconds(N(value)),
            };
        }
        catch (FormatException)
        {
            throw new ArgumentException($"'{value}' is not a duration such as 30s, 2m or 500ms");
        }
    }

    private static ISet<string> Baselines(string value)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (value is "none" or "")
        {
            return set;
        }
        foreach (var b in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            set.Add(b is "pg" or "hub" or "ping" ? b : throw new ArgumentException($"--baselines takes pg, hub, ping or none (got '{b}')"));
        }
        return set;
    }

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} must be a non-negative integer (got '{value}')");

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive number (got '{value}')");
}
