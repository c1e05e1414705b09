using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Hosting;

/// <summary>Where this silo listens and how it finds the cluster (configuration section "Silo").</summary>
public sealed class SiloOptions
{
    public const string Section = "Silo";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>HTTP port for /health and /metrics; 0 picks a free one.</summary>
    public int HttpPort { get; set; } = 18080;

    /// <summary>The address other silos and clients use to reach this one.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>"Redis" (default) or "Localhost" (a single silo without Redis, for experiments only).</summary>
    public string Clustering { get; set; } = "Redis";

    /// <summary>Apply pending database migrations before the silo starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public static SettingRules Rules(SiloOptions o, IConfiguration configuration) => new SettingRules(Section)
        .Between(nameof(SiloPort), o.SiloPort, 1, 65_535)
        .Between(nameof(GatewayPort), o.GatewayPort, 1, 65_535)
        .Between(nameof(HttpPort), o.HttpPort, 0, 65_535)
        .Require(o.SiloPort != o.GatewayPort, $"{Section}:SiloPort and {Section}:GatewayPort must differ (both are {o.SiloPort})")
        .Require(o.Clustering is "Redis" or "Localhost", $"{Section}:Clustering must be Redis or Localhost (is {o.Clustering})")
        .Require(!string.IsNullOrWhiteSpace(o.AdvertisedAddress), $"{Section}:AdvertisedAddress must be set");
}
