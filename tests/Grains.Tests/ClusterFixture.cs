using OrleansChat.TestSupport;

namespace OrleansChat.Grains.Tests;

/// <summary>One database and one cluster shared by the tests of a collection (each test makes its own users and threads).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public ChatTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Cluster = await ChatTestCluster.StartAsync(Database);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
