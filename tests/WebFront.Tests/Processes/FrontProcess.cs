namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>A real web front process (the built OrleansChat.WebFront.dll), so a test can kill it with SIGKILL.</summary>
public sealed class FrontProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private FrontProcess(ChildProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts a front with <paramref name="settings"/> (configuration keys, passed as environment variables).</summary>
    public static async Task<FrontProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var url = $"http://127.0.0.1:{FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var environment = StackSettings.AsEnvironment(settings).ToDictionary(e => e.Key, e => (string?)e.Value);
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var address = new Uri(url + "/");
        return new FrontProcess(await ChildProcess.StartAsync("OrleansChat.WebFront.dll", ["--urls", url], environment, new Uri(address, "health/ready"), "front"), address);
    }

    /// <summary>SIGKILL: no graceful stop, no closing handshake for its connections, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
