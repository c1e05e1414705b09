using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansChat.ServiceDefaults;
using OrleansChat.Grains.Hosting;
using OrleansChat.Grains.Storage;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Silo.Hosting;

/// <summary>Builds the silo process: Orleans (Redis membership, PostgreSQL storage) plus a small HTTP side for health.</summary>
public static class ChatSiloHost
{
    /// <param name="configureServices">Runs after the silo's own registrations, so a test can replace one (e.g. a fault injector).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        builder.AddChatServiceDefaults();
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        ValidatedSettings.Checked(options, SiloOptions.Rules(options, builder.Configuration));
        var chatDb = builder.Configuration.RequiredConnectionString("ChatDb");

        builder.WebHost.UseUrls($"http://127.0.0.1:{options.HttpPort}");
        builder.Services.AddSingleton(options);
        builder.UseChatSilo(options);
        builder.Services.AddHealthChecks()
            .AddCheck("postgresql", new PostgresHealthCheck(chatDb), tags: ["ready"]);

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapChatMetrics();
        app.MapClusterMembers();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    /// <summary>Runs the migrations that the configuration's database still lacks.</summary>
    public static async Task MigrateAsync(IConfiguration configuration, ILogger logger) =>
        await DatabaseMigrator.MigrateAsync(configuration.RequiredConnectionString("ChatDb"), logger);
}
