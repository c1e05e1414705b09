using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using OrleansChat.Silo.Hosting;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.WebFront.Tests;

/// <summary>
/// The real system in one test process: a silo (Redis membership, PostgreSQL storage) and one or more WebFronts
/// (Orleans clients of that cluster, on real Kestrel ports), over a fresh database.
/// </summary>
public sealed class ChatStack : IAsyncLifetime
{
    private readonly List<WebApplication> _fronts = [];
    private WebApplication? _silo;
    private int _siloPort;
    private int _gatewayPort;

    public TestDatabase Database { get; private set; } = null!;

    public string ClusterId { get; } = TestRedis.NewClusterId();

    public TestTokens Tokens { get; } = new("test-signing-key-" + Guid.NewGuid().ToString("N"));

    /// <summary>The first front's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri FrontUri { get; private set; } = null!;

    public IReadOnlyList<Uri> FrontUris => [.. _fronts.Select(AddressOf)];

    /// <summary>Extra configuration for the fronts (e.g. rate limits), set before InitializeAsync.</summary>
    public Dictionary<string, string?> FrontSettings { get; } = new() { ["Chat:RateLimit:SendsPerSecond"] = "0" };

    public int InitialFronts { get; init; } = 1;

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
        FrontUri = AddressOf(_fronts[0]);
    }

    public async Task StartSiloAsync()
    {
        _silo = ChatSiloHost.Build([], c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatDb"] = Database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "orleanschat-tests",
            ["Silo:SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:HttpPort"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
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
        var settings = new Dictionary<string, string?>(FrontSettings)
        {
            ["ConnectionStrings:ChatDb"] = Database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "orleanschat-tests",
            ["Jwt:SigningKey"] = Tokens.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var front = ChatFrontHost.Build(["--urls", "http://127.0.0.1:0"], c => c.AddInMemoryCollection(settings));
        await front.StartAsync();
        _fronts.Add(front);
        return AddressOf(front);
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
        foreach (var front in _fronts)
        {
            await front.StopAsync();
            await front.DisposeAsync();
        }
        await StopSiloAsync();
        await Database.DisposeAsync();
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"
            : throw new InvalidOperationException("no server"));
}
