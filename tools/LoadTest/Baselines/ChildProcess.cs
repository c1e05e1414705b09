namespace OrleansChat.LoadTest.Baselines;

/// <summary>Starts this harness again as a child process (bare hub, connection holder); stopped by closing its stdin.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public event Action<string>? Line;

    /// <summary>Starts `dotnet OrleansChat.LoadTest.dll ARGS`; <paramref name="serverGc"/> as ASP.NET Core apps (the fronts) default to.</summary>
    public static ChildProcess Start(bool serverGc, params string[] args)
    {
        var dll = typeof(ChildProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_gcServer"] = serverGc ? "1" : "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Line?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Line?.Invoke("stderr: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
