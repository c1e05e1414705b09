using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansChat.Grains.Hosting;

/// <summary>
/// Orleans' connection settings of silos and clients (section "Orleans:Connection"): Orleans' own
/// <see cref="ConnectionOptions"/> (e.g. <c>OpenConnectionTimeout</c>) and <c>UnacknowledgedDataTimeout</c>, the
/// TCP_USER_TIMEOUT of every Orleans socket (<see cref="UnacknowledgedDataTimeout"/>; unset or 0: the OS default).
/// </summary>
public static class OrleansConnectionSettings
{
    public const string Section = "Orleans:Connection";

    private const string LoggerName = "OrleansChat.Connections";

    public static TimeSpan UnacknowledgedDataTimeoutOf(IConfiguration configuration) =>
        configuration.GetValue($"{Section}:{nameof(UnacknowledgedDataTimeout)}", TimeSpan.Zero);

    /// <summary>A front's connections to its gateways.</summary>
    public static IClientBuilder UseChatConnectionSettings(this IClientBuilder client, IConfiguration configuration)
    {
        client.Configure<ConnectionOptions>(configuration.GetSection(Section));
        var timeout = UnacknowledgedDataTimeoutOf(configuration);
        if (timeout > TimeSpan.Zero)
        {
            client.Services.AddOptions<ClientConnectionOptions>().Configure<ILoggerFactory>((o, logs) =>
                o.ConfigureConnection(b => UnacknowledgedDataTimeout.Use(b, timeout, Warn(logs))));
        }
        return client;
    }

    /// <summary>A silo's connections to other silos, and its gateway's connections to clients.</summary>
    public static ISiloBuilder UseChatConnectionSettings(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ConnectionOptions>(configuration.GetSection(Section));
        var timeout = UnacknowledgedDataTimeoutOf(configuration);
        if (timeout > TimeSpan.Zero)
        {
            silo.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((o, logs) =>
            {
                o.ConfigureSiloOutboundConnection(b => UnacknowledgedDataTimeout.Use(b, timeout, Warn(logs)));
                o.ConfigureSiloInboundConnection(b => UnacknowledgedDataTimeout.Use(b, timeout, Warn(logs)));
                o.ConfigureGatewayInboundConnection(b => UnacknowledgedDataTimeout.Use(b, timeout, Warn(logs)));
            });
        }
        return silo;
    }

    private static Action<string> Warn(ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(LoggerName);
        return message => logger.LogWarning("{Problem}", message);
    }
}
