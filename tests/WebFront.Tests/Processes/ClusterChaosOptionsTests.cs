using OrleansChat.Chaos;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>The chaos tool's cluster mode: which fault command it calls, which faults it takes, from when it measures.</summary>
public sealed class ClusterChaosOptionsTests
{
    [Fact]
    public void Cluster_mode_calls_the_cluster_fault_command_with_every_cluster_fault_by_default()
    {
        var o = ChaosOptions.Parse(["--cluster", "--warmup", "5s", "--settle", "2s"]);

        Assert.Equal(["cluster", "fault"], o.FaultCommandPrefix);
        Assert.Equal(ChaosOptions.ClusterFaults, o.Faults);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Settle);
    }

    [Fact]
    public void Each_mode_takes_only_its_own_faults()
    {
        Assert.Equal(["pg-primary-kill", "silo-freeze"], ChaosOptions.Parse(["--cluster", "--faults", "pg-primary-kill,silo-freeze"]).Faults);
        Assert.Throws<ArgumentException>(() => ChaosOptions.Parse(["--cluster", "--faults", "silo-kill"]));
        Assert.Throws<ArgumentException>(() => ChaosOptions.Parse(["--faults", "silo-partition"]));
        Assert.Equal(["chaos-fault"], ChaosOptions.Parse([]).FaultCommandPrefix);
    }

    [Theory]
    [InlineData("silo-partition", true)]
    [InlineData("silo-freeze", true)]
    [InlineData("pg-primary-kill", true)]
    [InlineData("front-rolling", true)]
    [InlineData("silo-db-cut", false)]
    [InlineData("pg-restart", false)]
    public void Recovery_is_measured_from_the_injection_for_faults_the_cluster_rides_through(string kind, bool fromInjection)
    {
        var injected = new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc);
        var fault = new FaultRecord { Kind = kind, InjectedAt = injected, HealedAt = injected.AddSeconds(15) };

        Assert.Equal(fromInjection ? injected : injected.AddSeconds(15), fault.ClearedAt);
    }
}
