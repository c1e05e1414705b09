using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrleansChat.Grains.Outbox;
using OrleansChat.Grains.Storage;
using OrleansChat.Grains.Threads;

namespace OrleansChat.Grains.Hosting;

public static class ChatGrainsSiloBuilderExtensions
{
    /// <summary>
    /// Everything the chat grains need on a silo: the Orleans ADO.NET grain storage on PostgreSQL (JSON payloads,
    /// so renaming a class never breaks a stored row), the message and thread stores, and options.
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder silo, string connectionString, IConfiguration? configuration = null)
    {
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAdoNetGrainStorage(ChatStorageNames.Provider, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton(_ => CreateDataSource(connectionString));
        silo.Services.AddSingleton<MessageStore>();
        silo.Services.AddSingleton<MessageAppendQueue>();
        silo.Services.AddSingleton<ThreadStore>();
        silo.Services.AddSingleton<OutboxStore>();
        silo.Services.AddHostedService<WebhookDispatcher>();
        var threadOptions = silo.Services.AddOptions<ThreadOptions>();
        var webhookOptions = silo.Services.AddOptions<WebhookOptions>().ValidateOnStart();
        silo.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        var appendOptions = silo.Services.AddOptions<AppendQueueOptions>();
        if (configuration is not null)
        {
            threadOptions.Bind(configuration.GetSection(ThreadOptions.Section));
            webhookOptions.Bind(configuration.GetSection(WebhookOptions.Section));
            appendOptions.Bind(configuration.GetSection(AppendQueueOptions.Section));
        }
        return silo;
    }

    /// <summary>
    /// The silo's PostgreSQL data source. No reset on return to the pool and automatic preparation: the hot statements
    /// (append, page, count) are parsed and planned once per connection instead of once per call.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            NoResetOnClose = true,
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
        }.ConnectionString);
}
