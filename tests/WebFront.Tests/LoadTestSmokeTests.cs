using OrleansChat.LoadTest;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// A few seconds of the load-testing harness against the in-process stack: messages flowed and the result file is
/// well-formed. No figure is asserted: the figures are goals for the benchmark (docs/benchmarks.md), never timings here.
/// </summary>
public sealed class LoadTestSmokeTests : IAsyncLifetime
{
    private readonly ChatStack _stack = new();
    private readonly string _output = Path.Combine(Path.GetTempPath(), "loadtest-smoke-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => _stack.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Theory]
    [InlineData(ClientProtocol.SignalRJson)]
    [InlineData(ClientProtocol.SignalRMessagePack)]
    [InlineData(ClientProtocol.WebSocket)]
    public async Task A_tiny_many_threads_run_delivers_messages_and_writes_a_well_formed_result(ClientProtocol protocol)
    {
        var options = new LoadTestOptions
        {
            Scenario = "many-threads",
            Fronts = [_stack.FrontUri],
            Protocol = protocol,
            Threads = 5,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(2),
            LatencyRate = 50,
            JwtKey = _stack.Tokens.SigningKey,
            Baselines = new HashSet<string>(),
            OutputDir = _output,
            Progress = null,
        };

        var result = await LoadTestRunner.RunAsync(options);

        var peak = Assert.Single(result.Measurements, m => m.Name == "peak" && m.Protocol == protocol.ToString());
        Assert.True(peak.Acked > 0, "no send was acknowledged: " + string.Join(", ", peak.Errors));
        Assert.True(peak.Delivered > 0, "no message was delivered");
        Assert.True(peak.DeliveryLatency.Count > 0, "no send→deliver latency was recorded");
        Assert.Equal(10, peak.ConnectionsHeld);
        Assert.All(result.Measurements, m => Assert.True(m.Errors.Count == 0, $"{m.Name}: {string.Join(", ", m.Errors)}"));
        Assert.Equal((0L, 0L), result.OrderViolations);
        Assert.True(File.Exists(result.MarkdownPath));

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(result.JsonPath!));
        var root = json.RootElement;
        Assert.Equal("many-threads", root.GetProperty("scenario").GetString());
        // Over the WebSocket protocol the chat runs both phases again over its hub path, for the same-run ratio.
        var webSocket = protocol == ClientProtocol.WebSocket;
        Assert.Equal(webSocket ? 4 : 2, root.GetProperty("measurements").GetArrayLength());
        var ratio = result.Comparisons.SingleOrDefault(c => c.Metric == "WebSocket protocol msgs/s vs the chat's hub path");
        Assert.Equal(webSocket, ratio is { Ratio: > 0 });
        foreach (var m in root.GetProperty("measurements").EnumerateArray())
        {
            Assert.True(m.GetProperty("acks_per_second").GetDouble() > 0);
            Assert.True(m.GetProperty("deliveries_per_second").GetDouble() > 0);
            foreach (var field in new[] { "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms" })
            {
                Assert.True(m.GetProperty("delivery_latency").GetProperty(field).GetDouble() >= 0);
            }
            Assert.Equal(JsonValueKind.Object, m.GetProperty("errors").ValueKind);
        }
        Assert.Equal(JsonValueKind.Array, root.GetProperty("comparisons").ValueKind);
        Assert.True(root.GetProperty("machine").GetProperty("cores").GetInt32() > 0);
    }
}
