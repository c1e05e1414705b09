using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using OrleansChat.Silo.Hosting;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.TestStack;

/// <summary>
/// The real system in one test process: a silo (Redis membership, PostgreSQL storage) and one or more WebFronts
/// (Orleans clients of that cluster, on real Kestrel ports), over a fresh database.
/// </summary>
public sealed class ChatStack : IAsyncLifetime
{
    // A stopped front keeps its slot (null) and its port, so it can come back where its clients expect it.
    private readonly List<WebApplication?> _fronts = [];
    private readonly List<int> _frontPorts = [];
    private WebApplication? _silo;
    private int _siloPort;
    private int _gatewayPort;

    public TestDatabase Database { get; private set; } = null!;

    public string ClusterId { get; } = TestRedis.NewClusterId();

    public TestTokens Tokens { get; } = new("test-signing-key-" + Guid.NewGuid().ToString("N"));

    /// <summary>The first front's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri FrontUri { get; private set; } = null!;

    public IReadOnlyList<Uri> FrontUris => [.. _frontPorts.Select(FrontAddress)];

    /// <summary>Extra configuration for the fronts (e.g. rate limits), set before InitializeAsync.</summary>
    /// <summary>Settings over <see cref="StackSettings.Front"/>'s (which turns every rate limit off).</summary>
    public Dictionary<string, string?> FrontSettings { get; } = [];

    public int InitialFronts { get; init; } = 1;

    /// <summary>Runs on each front's services after its own registrations (e.g. to replace the rate limits' clock).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureFrontServices { get; init; }

    /// <summary>Replaces silo services after the silo's own registrations (e.g. a commit fault injector).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureSiloServices { get; init; }

    /// <summary>The fronts' hosting environment; Production unless a test needs Development-only endpoints.</summary>
    public string Environment { get; init; } = "Production";

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _siloPort = FreePorts.Next();
        _gatewayPort = FreePorts.Next();
        await StartSiloAsync();
        for (var i = 0; i < InitialFronts; i++)
        {
            await StartFrontAsync();
        }
        FrontUri = FrontAddress(_frontPorts[0]);
    }

    public async Task StartSiloAsync()
    {
        _silo = ChatSiloHost.Build([], c => c.AddInMemoryCollection(StackSettings.Silo(Database.ConnectionString, ClusterId, _siloPort, _gatewayPort)), ConfigureSiloServices);
        await _silo.StartAsync();
    }

    public async Task StopSiloAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
            _silo = null;
        }
    }

    public async Task<Uri> StartFrontAsync()
    {
        var front = await RunFrontAsync(0);
        _fronts.Add(front);
        _frontPorts.Add(new Uri(AddressOf(front)).Port);
        return FrontAddress(_frontPorts[^1]);
    }

    /// <summary>Stops front <paramref name="index"/> (its SignalR clients lose their connections); its port stays reserved.</summary>
    public async Task StopFrontAsync(int index)
    {
        if (_fronts[index] is { } front)
        {
            _fronts[index] = null;
            // Open WebSockets would hold a graceful stop for the whole shutdown timeout (30 s); a stopped front is
            // meant to look like a process going away, so the wait is short.
            using var stopWithin = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await front.StopAsync(stopWithin.Token);
            await front.DisposeAsync();
        }
    }

    /// <summary>Starts a stopped front again on the port it had, as a restarted process would.</summary>
    public async Task RestartFrontAsync(int index)
    {
        await StopFrontAsync(index);
        _fronts[index] = await RunFrontAsync(_frontPorts[index]);
    }

    private async Task<WebApplication> RunFrontAsync(int port)
    {
        var settings = StackSettings.Front(Database.ConnectionString, ClusterId, Tokens.SigningKey).With(FrontSettings);
        var url = $"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var front = ChatFrontHost.Build(["--urls", url, "--environment", Environment], c => c.AddInMemoryCollection(settings), ConfigureFrontServices);
        await front.StartAsync();
        return front;
    }

    public HttpClient Http(string? token = null, Uri? front = null)
    {
        var client = new HttpClient { BaseAddress = front ?? FrontUri };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        for (var i = 0; i < _fronts.Count; i++)
        {
            await StopFrontAsync(i);
        }
        await StopSiloAsync();
        await Database.DisposeAsync();
    }

    private static Uri FrontAddress(int port) => new($"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");

    private static string AddressOf(WebApplication app) =>
        app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server");
}
