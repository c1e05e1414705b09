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

    /// <summary>Starts a silo with <paramref name="settings"/> (configuration keys, passed as environment variables) on ports of its own.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var httpPort = FreePorts.Next();
        var own = new Dictionary<string, string?>(settings)
        {
            ["Silo:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var environment = StackSettings.AsEnvironment(own).ToDictionary(e => e.Key, e => (string?)e.Value);
        environment["DOTNET_ENVIRONMENT"] = "Production";
        var ready = new Uri($"http://127.0.0.1:{httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/health/ready");
        return new SiloProcess(await ChildProcess.StartAsync("OrleansChat.Silo.dll", [], environment, ready, "silo"), httpPort);
    }

    /// <summary>SIGKILL: no shutdown, no deactivation, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
