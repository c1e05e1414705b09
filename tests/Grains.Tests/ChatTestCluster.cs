using Orleans.Runtime;
using Orleans.TestingHost;
using OrleansChat.Grains.Hosting;
using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>
/// Real Orleans silos (in process, via Orleans.TestingHost) over the real PostgreSQL: the ADO.NET grain storage and
/// the message log both live in the test's own database. The service id is fixed so a second cluster on the same
/// database (a "full restart") reads what the first one wrote.
/// </summary>
public sealed class ChatTestCluster : IAsyncDisposable
{
    private ChatTestCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<ChatTestCluster> StartAsync(TestDatabase database, short silos = 1, Action<ISiloBuilder>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = "orleanschat-tests";
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddChatGrains(database.ConnectionString);
            configure?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ChatTestCluster(cluster);
    }

    /// <summary>Deactivates every activation in the cluster; the next call re-reads all state from storage.</summary>
    public async Task DeactivateAllAsync()
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var stats = await management.GetSimpleGrainStatistics();
        var chatActivations = stats.Where(s => s.GrainType.Contains("OrleansChat", StringComparison.Ordinal) && !s.GrainType.Contains("Ping", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Assert.Equal(0, chatActivations);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
