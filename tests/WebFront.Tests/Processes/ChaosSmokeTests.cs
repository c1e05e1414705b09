using OrleansChat.Chaos;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// A short run of the chaos harness (what <c>./chatctl chaos</c> runs for minutes) against real silo processes:
/// steady load, one silo killed with SIGKILL by the harness's fault command, then its comparison of what senders
/// were acknowledged, what PostgreSQL holds and what receivers saw. Asserts the verdict and a well-formed report.
/// </summary>
public sealed class ChaosSmokeTests : IAsyncLifetime
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "chaos-smoke-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _database = null!;
    private ProcessStack _stack = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workDir);
        _database = await TestDatabase.CreateAsync();
        _stack = await ProcessStack.StartAsync(_database.ConnectionString, fronts: 1, silos: 2);
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_workDir, recursive: true);
    }

    [Fact]
    public async Task A_short_chaos_run_with_a_silo_kill_loses_nothing_and_reports_it()
    {
        var victim = _stack.Silos[0];
        var options = new ChaosOptions
        {
            Fronts = [_stack.Fronts[0]],
            Threads = 4,
            Rate = 20,
            Faults = ["silo-kill"],
            Warmup = TimeSpan.FromSeconds(4),
            Outage = TimeSpan.FromSeconds(2),
            Settle = TimeSpan.FromSeconds(30), // generous: the verdict requires recovery within the window, on any CI machine
            Tail = TimeSpan.FromSeconds(3),
            Duration = TimeSpan.FromSeconds(40),
            FaultCommand = "bash",
            FaultCommandPrefix = [WriteFaultScript(victim.Pid)],
            Database = _database.ConnectionString,
            JwtKey = _stack.Tokens.SigningKey,
            OutputDir = Path.Combine(_workDir, "out"),
        };

        var exitCode = await ChaosRunner.RunAsync(options, CancellationToken.None);

        Assert.True(victim.HasExited, "the fault command did not kill the silo");
        var report = Assert.Single(Directory.GetFiles(options.OutputDir, "*-chaos.json"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.True(exitCode == 0, "chaos verdict failed: " + root);
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.True(root.GetProperty("acknowledged").GetInt32() > 0);
        Assert.Equal(0, root.GetProperty("acknowledged_but_missing").GetInt32());
        Assert.Equal(0, root.GetProperty("duplicate_seqs").GetInt32());
        Assert.Equal(0, root.GetProperty("receiver_missing_after_catch_up").GetInt32());
        var fault = Assert.Single(root.GetProperty("faults").EnumerateArray());
        Assert.Equal("silo-kill", fault.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Number, fault.GetProperty("all_senders_acked_s").ValueKind);
        Assert.Equal(JsonValueKind.Number, fault.GetProperty("all_receivers_live_s").ValueKind);
        Assert.True(File.Exists(Path.ChangeExtension(report, ".md")));
    }

    /// <summary>The harness calls FAULT_COMMAND inject|heal KIND; here inject kills one silo and heal leaves the other to carry on.</summary>
    private string WriteFaultScript(int siloPid)
    {
        var path = Path.Combine(_workDir, "fault.sh");
        File.WriteAllText(path, $"""
            #!/usr/bin/env bash
            case "$1 $2" in
              "inject silo-kill") kill -9 {siloPid} && echo "killed silo pid {siloPid}" ;;
              "heal silo-kill") echo "the other silo carries on" ;;
              *) echo "unexpected fault request: $*" >&2; exit 2 ;;
            esac

            """);
        return path;
    }
}
