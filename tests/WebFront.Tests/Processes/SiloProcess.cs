namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>A real silo process (the built OrleansChat.Silo.dll), so a test can kill it the hard way.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Pid;

    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var httpPort = FreePorts.Next();
        var settings = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        settings["Silo__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Silo__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Silo__HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ready = new Uri($"http://127.0.0.1:{httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/health/ready");
        return new SiloProcess(await ChildProcess.StartAsync("OrleansChat.Silo.dll", [], settings, ready, "silo"), httpPort);
    }

    /// <summary>SIGKILL: no shutdown, no deactivation, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
