using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.WebFront.Hosting;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// Real silo processes (so a test can kill one the hard way) and any number of fronts in the test process, on a
/// database given by connection string (a <see cref="ThrowawayPostgres"/> one, or a <see cref="TestDatabase"/>): the
/// setting for crash, outage and front-loss tests. Failure detection is tightened so a killed silo is declared dead
/// in seconds, as an operator would configure it (Orleans:Membership). Fronts can be stopped one by one.
/// </summary>
public sealed class ProcessStack : IAsyncDisposable
{
    private readonly List<WebApplication?> _fronts = [];
    private readonly List<SiloProcess> _silos = [];
    private readonly Dictionary<int, FrontProcess> _frontProcesses = [];

    private ProcessStack(string database) => Database = database;

    public string Database { get; }

    public string ClusterId { get; } = TestRedis.NewClusterId();

    public TestTokens Tokens { get; } = new("test-signing-key-" + Guid.NewGuid().ToString("N"));

    public List<Uri> Fronts { get; } = [];

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <param name="processFronts">How many of the fronts (the first ones) run as processes of their own, so <see cref="KillFront"/> can SIGKILL them.</param>
    /// <param name="siloFronts">How many front processes (before all other fronts) also host a silo (<c>Front:HostSilo</c>).</param>
    public static async Task<ProcessStack> StartAsync(string database, int fronts, int silos = 1, int processFronts = 0, int siloFronts = 0)
    {
        var stack = new ProcessStack(database);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                stack._silos.Add(await SiloProcess.StartAsync(stack.SiloEnvironment()));
            }
            for (var i = 0; i < siloFronts; i++)
            {
                // One process per machine: the front's settings plus a silo's, with the same failure detection.
                var front = await FrontProcess.StartAsync(stack.FrontSettings().With(stack.SiloEnvironment()).With([new("Front:HostSilo", "true")]));
                stack._frontProcesses[stack._fronts.Count] = front;
                stack._fronts.Add(null);
                stack.Fronts.Add(front.Address);
            }
            for (var i = 0; i < fronts; i++)
            {
                if (i < processFronts)
                {
                    var front = await FrontProcess.StartAsync(stack.FrontSettings());
                    stack._frontProcesses[stack._fronts.Count] = front;
                    stack._fronts.Add(null);
                    stack.Fronts.Add(front.Address);
                }
                else
                {
                    await stack.StartFrontAsync();
                }
            }
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
        return stack;
    }

    public HttpClient Http(int front, string? token = null)
    {
        var client = new HttpClient { BaseAddress = Fronts[front], Timeout = TimeSpan.FromSeconds(40) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    /// <summary>Stops front <paramref name="index"/> (its connections drop, as when its process dies).</summary>
    public async Task StopFrontAsync(int index)
    {
        if (_fronts[index] is { } front)
        {
            _fronts[index] = null;
            await front.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            await front.DisposeAsync();
        }
    }

    /// <summary>SIGKILLs front <paramref name="index"/>, which must be one of the process fronts.</summary>
    public void KillFront(int index) => _frontProcesses[index].Kill();

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _fronts.Count; i++)
        {
            await StopFrontAsync(i);
        }
        foreach (var front in _frontProcesses.Values)
        {
            await front.DisposeAsync();
        }
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    // Failure detection tightened so a killed silo is declared dead in seconds.
    private Dictionary<string, string?> SiloEnvironment() => StackSettings.Silo(Database, ClusterId).With(new Dictionary<string, string?>
    {
        ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
        ["Orleans:Membership:NumMissedProbesLimit"] = "2",
        ["Orleans:Membership:NumVotesForDeathDeclaration"] = "1",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Orleans:Messaging:ResponseTimeout"] = "00:00:10",
        ["Silo:MigrateOnStart"] = "false",
    });

    private Dictionary<string, string?> FrontSettings() => StackSettings.Front(Database, ClusterId, Tokens.SigningKey).With(new Dictionary<string, string?>
    {
        ["Orleans:Messaging:ResponseTimeout"] = "00:00:10",
        ["Orleans:Gateway:GatewayListRefreshPeriod"] = "00:00:02",
        ["Chat:Realtime:ResubscribeInterval"] = "00:00:05",
    });

    private async Task StartFrontAsync()
    {
        var settings = FrontSettings();
        var front = ChatFrontHost.Build(["--urls", "http://127.0.0.1:0"], c => c.AddInMemoryCollection(settings));
        _fronts.Add(front);
        await front.StartAsync();
        Fronts.Add(new Uri(front.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"));
    }
}
