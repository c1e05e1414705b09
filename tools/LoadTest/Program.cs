using OrleansChat.LoadTest.Baselines;
using OrleansChat.LoadTest.Cli;
using OrleansChat.LoadTest.Scenarios;

namespace OrleansChat.LoadTest;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.FirstOrDefault() == "chaos" && args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Chaos.ChaosOptions.Usage);
            return 0;
        }
        if (args.Any(a => a is "-h" or "--help" or "help"))
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
                case "chaos":
                    using (var stop = new CancellationTokenSource())
                    {
                        Console.CancelKeyPress += (_, e) =>
                        {
                            e.Cancel = true;
                            stop.Cancel();
                        };
                        return await Chaos.ChaosRunner.RunAsync(Chaos.ChaosOptions.Parse(args), stop.Token);
                    }
                case "baseline-hub":
                    return await BareHubServer.RunAsync(int.Parse(Arg(args, "--port") ?? "5900", CultureInfo.InvariantCulture));
                case "hold":
                    return await HoldWorker.RunAsync(CommandLine.Fronts(Arg(args, "--fronts") ?? "http://127.0.0.1:5080/"),
                        CommandLine.Protocol(Arg(args, "--protocol") ?? "json"), Arg(args, "--jwt-key") ?? new LoadTestOptions().JwtKey,
                        long.Parse(Arg(args, "--user-base") ?? "1", CultureInfo.InvariantCulture), int.Parse(Arg(args, "--count") ?? "1", CultureInfo.InvariantCulture));
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

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
