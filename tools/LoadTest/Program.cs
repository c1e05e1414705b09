using OrleansChat.LoadTest.Baselines;
using OrleansChat.LoadTest.Cli;
using OrleansChat.LoadTest.Scenarios;
using OrleansChat.ToolKit.Cli;

namespace OrleansChat.LoadTest;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (ToolArgs.WantsHelp(args))
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        try
        {
            switch (args.FirstOrDefault())
            {
                case "baseline-hub":
                    return await BareHubServer.RunAsync(ToolArgs.Parse(args, ["--port"]).Int("--port") ?? 5900);
                case "hold":
                    var hold = ToolArgs.Parse(args, ["--fronts", "--protocol", "--jwt-key", "--user-base", "--count"]);
                    return await HoldWorker.RunAsync(hold.Uris("--fronts") ?? [new Uri("http://127.0.0.1:5080/")],
                        CommandLine.Protocol(hold.String("--protocol") ?? "json"), hold.String("--jwt-key") ?? TokenMinter.DevelopmentKey,
                        hold.Long("--user-base") ?? 1, hold.Int("--count") ?? 1);
            }
            var options = CommandLine.Parse(args);
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            var result = await LoadTestRunner.RunAsync(options, cancel.Token);
            if (!result.OrderHeld)
            {
                await Console.Error.WriteLineAsync($"error: live delivery out of order or incomplete: {result.OrderViolations.Inversions} inversions, {result.OrderViolations.Missing} missing seqs");
                return 1;
            }
            return result.Measurements.Count > 0 && result.Measurements.All(m => m.Acked > 0 || m.ConnectionsHeld > 0) ? 0 : 1;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
