using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.Grains.Hosting;
using ChatSiloOptions = OrleansChat.Grains.Hosting.SiloOptions;
using OrleansChat.ServiceDefaults;
using OrleansChat.WebFront.Attachments;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.Http;
using OrleansChat.WebFront.Hub;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;
using OrleansChat.WebFront.Presence;
using OrleansChat.WebFront.WebSocket;

namespace OrleansChat.WebFront.Hosting;

/// <summary>Builds the front process: REST API, SignalR hub and WebSocket endpoint over an Orleans client.</summary>
public static class ChatFrontHost
{
    /// <param name="configureServices">Runs after the front's own registrations, so a test can replace one (e.g. a clock).</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        var configuration = builder.Configuration;

        // Request URLs of the realtime endpoints carry tokens: the hosting diagnostics that log them stay off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);
        // Refusals in hub methods are answers, not failures; ChatHubErrorFilter logs the unexpected ones.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);

        builder.AddChatServiceDefaults();
        var jwt = configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        jwt.Validate(builder.Environment.IsDevelopment());

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
        var hostSilo = configuration.GetValue<bool>("Front:HostSilo");
        if (hostSilo)
        {
            // One process per machine: this front runs a silo of the cluster, so grain calls and observer events to
            // and from this silo's grains skip the gateway socket and its serialization.
            var silo = configuration.GetSection(ChatSiloOptions.Section).Get<ChatSiloOptions>() ?? new ChatSiloOptions();
            ValidatedSettings.Checked(silo, ChatSiloOptions.Rules(silo, configuration));
            builder.UseChatSilo(silo);
            builder.Services.AddHostedService<SiloLossWatcher>();
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
                client.Configure<ClientMessagingOptions>(configuration.GetSection("Orleans:Messaging"));
                client.Configure<GatewayOptions>(configuration.GetSection("Orleans:Gateway"));
                client.UseChatConnectionSettings(configuration);
                client.UseRedisClustering(configuration.RequiredConnectionString("Redis"));
                client.AddActivityPropagation();
                // A lost or returning gateway means threads may have moved: resubscribe them at once.
                client.Services.AddSingleton<IClusterConnectionStatusObserver, ClusterChangeWatcher>();
            });
        }

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProfileDirectory>();
        services.AddSingleton<ProfileRecorder>();
        services.AddSingleton<ParticipantCache>();
        services.AddSingleton<ThreadRenderer>();
        services.AddChatPresence();
        services.AddValidatedSettings<RateLimitOptions>(RateLimitOptions.Section, RateLimitOptions.Rules);
        services.AddValidatedSettings<ChatWebSocketOptions>(ChatWebSocketOptions.Section, ChatWebSocketOptions.Rules);
        services.AddKeyedSingleton(RateLimitOptions.ClockKey, TimeProvider.System);
        services.AddSingleton<SendRateLimiter>();
        services.AddValidatedSettings<SendRetryOptions>(SendRetryOptions.Section, SendRetryOptions.Rules);
        services.AddSingleton<StuckSendRetry>();
        services.AddSingleton<ChatCommands>();
        services.AddSingleton<ConversationCommands>();
        services.AddChatAttachments(configuration.RequiredConnectionString("ChatDb"));
        services.AddValidatedSettings<RealtimeOptions>(RealtimeOptions.Section, RealtimeOptions.Rules);
        services.AddSingleton<IThreadLog, GrainThreadLog>();
        services.AddSingleton(sp => new ThreadSubscriptions(sp.GetRequiredService<IClusterClient>(), sp.GetRequiredService<IThreadLog>(),
            sp.GetRequiredService<IHubContext<ChatHub>>().Clients, sp.GetRequiredService<IOptions<RealtimeOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new UserEventRelay(sp.GetRequiredService<IClusterClient>(), sp.GetRequiredService<IHubContext<ChatHub>>().Clients,
            sp.GetRequiredService<ThreadRenderer>(), sp.GetRequiredService<ILogger<UserEventRelay>>()));
        services.AddHostedService<SubscriptionRenewal>();
        services.AddChatJwt(jwt);
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 256 * 1024;
            o.AddFilter<ChatHubErrorFilter>();
            o.AddFilter<HubRateLimitFilter>();
        });
        // Both protocols speak the wire's snake_case shapes and plain "status: detail" errors (see WireHubProtocol).
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(new WireHubProtocol(
            new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions { PayloadSerializerOptions = WireJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)) })), plainPayloads: false));
        services.AddSingleton<IHubProtocol>(new WireHubProtocol(new MessagePackHubProtocol(), plainPayloads: true));
        services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck("postgresql", new PostgresHealthCheck(configuration.RequiredConnectionString("ChatDb")), tags: ["ready"]);
        // The OpenAPI document's schemas use the wire's names (snake_case); handlers serialize with WireJson themselves.
        // Numbers strictly as numbers, as FieldReader reads them (an id sent as "1" is a 422).
        services.ConfigureHttpJsonOptions(o =>
        {
            WireJson.Configure(o.SerializerOptions);
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddOpenApi();

        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<ChatErrorMiddleware>();
        app.UseStatusCodePages(context => Problems.Write(context.HttpContext, context.HttpContext.Response.StatusCode,
            Problems.Title(context.HttpContext.Response.StatusCode) + "."));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                await context.RequestServices.GetRequiredService<ProfileRecorder>().RecordAsync(context.User.ToProfile());
            }
            await next(context);
        });
        app.UseAuthorization();

        app.MapChatMetrics();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi("/openapi/{documentName}.json");
        }

        var chat = app.MapGroup("/api/chat").RequireAuthorization();
        chat.MapGroup("/threads").MapThreadsApi().MapThreadMessagesApi().MapIntegrationApi();
        chat.MapGroup("/messages").MapMessagesApi();
        chat.MapGroup("/users").MapUsersApi().MapPresenceApi();
        chat.MapUnreadApi();
        chat.MapSearchApi();
        chat.MapAttachmentsApi();
        // A realtime connection lives no longer than its token: the client reconnects with a fresh one and catches up.
        app.MapHub<ChatHub>("/hubs/chat", o => o.CloseOnAuthenticationExpiration = true);
        app.MapChatWebSocket();
        app.MapChatWebClient();
        return app;
    }
}
