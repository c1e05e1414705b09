using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// Silos as real processes (Redis membership, PostgreSQL) and one front in the test process: the setting for
/// crash tests. Failure detection is tightened so a killed silo is declared dead in seconds, as an operator would
/// configure it (Orleans:Membership).
/// </summary>
public sealed class ProcessClusterStack : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private WebApplication? _front;

    public TestDatabase Database { get; private set; } = null!;

    public string ClusterId { get; } = TestRedis.NewClusterId();

    public TestTokens Tokens { get; } = new("test-signing-key-" + Guid.NewGuid().ToString("N"));

    public Uri FrontUri { get; private set; } = null!;

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public static async Task<ProcessClusterStack> StartAsync(int silos)
    {
        var stack = new ProcessClusterStack { Database = await TestDatabase.CreateAsync() };
        for (var i = 0; i < silos; i++)
        {
            stack._silos.Add(await SiloProcess.StartAsync(stack.SiloEnvironment()));
        }
        await stack.StartFrontAsync();
        return stack;
    }

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = FrontUri, Timeout = TimeSpan.FromSeconds(40) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.StopAsync();
            await _front.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        await Database.DisposeAsync();
    }

    private Dictionary<string, string> SiloEnvironment() => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__ChatDb"] = Database.ConnectionString,
        ["ConnectionStrings__Redis"] = TestRedis.ConnectionString,
        ["Orleans__ClusterId"] = ClusterId,
        ["Orleans__ServiceId"] = "orleanschat-tests",
        ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",
        ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__Messaging__ResponseTimeout"] = "00:00:10",
        ["Silo__MigrateOnStart"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private async Task StartFrontAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatDb"] = Database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestRedis.ConnectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "orleanschat-tests",
            ["Orleans:Messaging:ResponseTimeout"] = "00:00:10",
            ["Orleans:Gateway:GatewayListRefreshPeriod"] = "00:00:02",
            ["Jwt:SigningKey"] = Tokens.SigningKey,
            ["Chat:RateLimit:SendsPerSecond"] = "0",
            ["Chat:Realtime:ResubscribeInterval"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _front = ChatFrontHost.Build(["--urls", "http://127.0.0.1:0"], c => c.AddInMemoryCollection(settings));
        await _front.StartAsync();
        FrontUri = new Uri(_front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }
}
