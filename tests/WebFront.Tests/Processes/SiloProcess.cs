using System.Diagnostics;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>A real silo process (the built OrleansChat.Silo.dll), so a test can kill it the hard way.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var httpPort = FreePorts.Next();
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", Path.Combine(directory, "OrleansChat.Silo.dll"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["Silo__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Silo__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Silo__HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, httpPort);
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>SIGKILL: no shutdown, no deactivation, no goodbye to the cluster.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, "the silo process exited during start-up");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the silo process did not become ready");
    }
}
