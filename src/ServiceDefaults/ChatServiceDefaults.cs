using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OrleansChat.ServiceDefaults;

/// <summary>
/// What every OrleansChat process shares: metrics (ours, Orleans', ASP.NET Core's, the runtime's) exposed at
/// /metrics in Prometheus format, traces that follow a request from the front into the grains (exported over OTLP
/// when OTEL_EXPORTER_OTLP_ENDPOINT is set), and an optional JSON log format (Logging:Format=json).
/// </summary>
public static class ChatServiceDefaults
{
    /// <summary>The meter and activity source of OrleansChat's own instruments.</summary>
    public const string MeterName = "OrleansChat";

    public static WebApplicationBuilder AddChatServiceDefaults(this WebApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
            });
        }
        // Trace and span ids in every log scope, so a line can be matched to the request that caused it.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                        "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.SignalR")
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Spans cost CPU on every grain call once something listens: record them only when they are exported.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(MeterName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics")
                    && !context.Request.Path.StartsWithSegments("/health"))
                .AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Prometheus scrape endpoint.</summary>
    public static WebApplication MapChatMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
