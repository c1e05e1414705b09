using OrleansChat.LoadTest.Baselines;
using OrleansChat.LoadTest.Metrics;
using OrleansChat.LoadTest.Reporting;
using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest.Scenarios;

/// <summary>Shared services of one run: options, result, tokens, targets, and helpers to lay out users, threads and connections.</summary>
public sealed class ScenarioContext(LoadTestOptions options, LoadTestResult result) : IAsyncDisposable
{
    private BareHubFleet? _bareHub;
    private long _fakeThreadIds;

    public LoadTestOptions Options { get; } = options;

    public LoadTestResult Result { get; } = result;

    public TokenMinter Tokens { get; } = new(options.JwtKey);

    public UserFactory Users { get; } = new(new TokenMinter(options.JwtKey));

    public MessageStamp Stamps { get; } = new();

    public ProgressLine Progress { get; } = new(options.Progress);

    public Target Chat { get; } = new("chat", options.Fronts, ServerProcesses.Discover(options.RunDir, options.PgDataDir), isChat: true);

    public bool WantsBaseline(string name) => Options.Baselines.Contains(name);

    /// <summary>The bare hub baseline: one child process per chat front (started on first use, stopped with the run).</summary>
    public async Task<Target> BareHubAsync(CancellationToken ct)
    {
        _bareHub ??= await BareHubFleet.StartAsync(Options.Fronts.Count, Options.BareHubPort, ct);
        return new Target("bare-hub", _bareHub.Fronts, [.. _bareHub.Processes, new WatchedProcess("loadgen", Environment.ProcessId)], isChat: false);
    }

    /// <summary>The protocol a target is driven with (the bare hub speaks SignalR only).</summary>
    public ClientProtocol ProtocolFor(Target target) =>
        !target.IsChat && Options.Protocol == ClientProtocol.WebSocket ? ClientProtocol.SignalRJson : Options.Protocol;

    /// <summary>Creates <paramref name="count"/> client/freelancer pairs and their threads (real on the chat, made up on the bare hub).</summary>
    public async Task<List<SimThread>> CreateThreadsAsync(Target target, int count, CancellationToken ct)
    {
        var pairs = Enumerable.Range(0, count).Select(_ => (Users.Create("client"), Users.Create("freelancer"))).ToList();
        if (!target.IsChat)
        {
            return [.. pairs.Select(p => new SimThread(Interlocked.Increment(ref _fakeThreadIds), p.Item1, p.Item2))];
        }
        var started = Stopwatch.GetTimestamp();
        using var provisioner = new ChatProvisioner(target.Fronts[0], Tokens, Options.SetupConcurrency);
        var threads = await provisioner.CreateThreadsAsync(pairs, ct);
        Progress.Info(string.Create(CultureInfo.InvariantCulture, $"   set-up: registered {count * 2} users and created {count} threads in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s"));
        return threads;
    }

    /// <summary>
    /// A fresh measurement context for one target: metrics, connection pool, sampler and driver. <paramref name="protocol"/>
    /// overrides the run's protocol (the WebSocket run measures the chat's hub path too, in the same run).
    /// </summary>
    public Session OpenSession(Target target, ClientProtocol? protocol = null) => new(this, target, protocol ?? ProtocolFor(target));

    public async ValueTask DisposeAsync()
    {
        if (_bareHub is not null)
        {
            await _bareHub.DisposeAsync();
        }
    }

    /// <summary>Connections and measurements against one target.</summary>
    public sealed class Session : IAsyncDisposable
    {
        private readonly ScenarioContext _context;

        internal Session(ScenarioContext context, Target target, ClientProtocol protocol)
        {
            _context = context;
            Target = target;
            Metrics = new RunMetrics();
            Pool = new ConnectionPool(Metrics, protocol);
            Sampler = new ProcessSampler(target.Processes);
            Driver = new Driver(Metrics, Sampler, context.Stamps, context.Progress);
        }

        public Target Target { get; }

        public RunMetrics Metrics { get; }

        public ConnectionPool Pool { get; }

        public ProcessSampler Sampler { get; }

        public Driver Driver { get; }

        /// <summary>Opens the connections (with a progress line) and returns them in request order (null = failed).</summary>
        public async Task<IChatConnection?[]> ConnectAsync(IReadOnlyList<ConnectRequest> requests, CancellationToken ct)
        {
            var started = Stopwatch.GetTimestamp();
            var heldBefore = Metrics.ConnectionsHeld;
            var failedBefore = Metrics.ConnectionsFailed;
            var open = Pool.OpenManyAsync(requests, 64, ct);
            while (!open.IsCompleted)
            {
                await Task.WhenAny(open, Task.Delay(1000, ct));
                _context.Progress.Info($"   connecting to {Target.Name}: {Metrics.ConnectionsHeld - heldBefore}/{requests.Count} open, {Metrics.ConnectionsFailed - failedBefore} failed");
            }
            var result = await open;
            _context.Progress.Info(string.Create(CultureInfo.InvariantCulture,
                $"   {Metrics.ConnectionsHeld - heldBefore} connections open to {Target.Name} ({Pool.Protocol}) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s, {Metrics.ConnectionsFailed - failedBefore} failed"));
            if (Metrics.ConnectionsFailed > failedBefore)
            {
                _context.Result.Notes.Add($"{Target.Name}: {Metrics.ConnectionsFailed - failedBefore} of {requests.Count} connections failed: " +
                    string.Join(", ", Metrics.Errors.Select(e => $"{e.Key} × {e.Value}")));
            }
            return result;
        }

        public async Task<Measurement> MeasureAsync(string name, IReadOnlyList<SenderSlot> senders, DriveSpec spec, CancellationToken ct)
        {
            var m = await Driver.RunAsync(name, Target.Name, senders, spec, ct);
            m.Protocol = Pool.Protocol.ToString();
            _context.Result.Measurements.Add(m);
            return m;
        }

        public async ValueTask DisposeAsync()
        {
            await Pool.DisposeAsync();
            await Sampler.DisposeAsync();
        }
    }
}
