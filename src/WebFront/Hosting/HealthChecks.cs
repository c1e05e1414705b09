using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansChat.WebFront.Hosting;

/// <summary>Ready means a grain answers: the cluster is reachable through a gateway.</summary>
internal sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await cluster.GetGrain<IPingGrain>(0).Ping(1).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The Orleans cluster is not reachable.", e);
        }
    }
}
