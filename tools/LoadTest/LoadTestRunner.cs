using OrleansChat.LoadTest.Reporting;
using OrleansChat.LoadTest.Scenarios;
using OrleansChat.LoadTest.Server;

namespace OrleansChat.LoadTest;

/// <summary>The harness as a library: run one scenario, write the JSON and Markdown results, return the result.</summary>
public static class LoadTestRunner
{
    public static async Task<LoadTestResult> RunAsync(LoadTestOptions options, CancellationToken cancellationToken = default)
    {
        var scenario = ScenarioCatalog.Find(options.Scenario);
        var result = new LoadTestResult
        {
            Scenario = scenario.Name,
            Protocol = ProtocolName(options.Protocol),
            StartedAt = DateTime.UtcNow,
            Machine = new MachineInfo { MemoryGiB = Math.Round(ProcReader.MemTotalGiB(), 1), CpuModel = ProcReader.CpuModel(), LoadAverageAtStart = ProcReader.LoadAverage() },
        };
        result.Settings["fronts"] = string.Join(' ', options.Fronts);
        result.Settings["duration_s"] = options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        result.Settings["warmup_s"] = options.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        result.Settings["in_flight"] = options.InFlight.ToString(CultureInfo.InvariantCulture);
        result.Settings["message_bytes"] = options.MessageBytes.ToString(CultureInfo.InvariantCulture);
        result.Settings["baselines"] = options.Baselines.Count == 0 ? "none" : string.Join(',', options.Baselines.Order(StringComparer.Ordinal));
        if (options.Rate is { } rate)
        {
            result.Settings["rate"] = rate.ToString(CultureInfo.InvariantCulture) + (options.RampTo is { } to ? "→" + to.ToString(CultureInfo.InvariantCulture) : "");
        }
        if (options.Note is { } note)
        {
            result.Notes.Add(note);
        }
        var started = Stopwatch.GetTimestamp();
        await using (var context = new ScenarioContext(options, result))
        {
            context.Progress.Info($"OrleansChat bench: {scenario.Name} ({scenario.Description}), protocol {result.Protocol}, fronts {string.Join(' ', options.Fronts)}");
            if (context.Chat.Processes.Count <= 1)
            {
                result.Notes.Add("No server pid files found: server CPU and memory are not reported (in-process stack or --run-dir not given).");
            }
            await scenario.RunAsync(context, cancellationToken);
        }
        result.ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        Write(result, options);
        return result;
    }

    public static string ProtocolName(ClientProtocol p) => p switch
    {
        ClientProtocol.SignalRJson => "signalr-json",
        ClientProtocol.SignalRMessagePack => "signalr-messagepack",
        _ => "websocket",
    };

    private static void Write(LoadTestResult result, LoadTestOptions options)
    {
        Directory.CreateDirectory(options.OutputDir);
        var stem = Path.Combine(options.OutputDir, $"{result.StartedAt:yyyyMMdd-HHmmss}-{result.Scenario}-{result.Protocol}");
        result.JsonPath = Path.GetFullPath(stem + ".json");
        result.MarkdownPath = Path.GetFullPath(stem + ".md");
        var markdown = MarkdownReport.Render(result);
        File.WriteAllText(result.JsonPath, JsonReport.Serialize(result));
        File.WriteAllText(result.MarkdownPath, markdown);
        options.Progress?.WriteLine();
        options.Progress?.Write(markdown);
        options.Progress?.WriteLine($"results: {result.JsonPath}");
        options.Progress?.WriteLine($"         {result.MarkdownPath}");
    }
}
