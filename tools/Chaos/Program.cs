using OrleansChat.ToolKit.Cli;

namespace OrleansChat.Chaos;

/// <summary>
/// The chaos tool: steady load over every front while faults are injected and healed, then acknowledged vs stored
/// vs received (driven by <c>./chatctl chaos</c>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (ToolArgs.WantsHelp(args))
        {
            Console.WriteLine(ChaosOptions.Usage);
            return 0;
        }
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            return await ChaosRunner.RunAsync(ChaosOptions.Parse(args), stop.Token);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
