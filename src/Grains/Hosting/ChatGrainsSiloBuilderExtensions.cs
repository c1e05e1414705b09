using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansChat.Grains.Fronts;
using OrleansChat.Grains.Outbox;
using OrleansChat.Grains.Presence;
using OrleansChat.Grains.Storage;
using OrleansChat.Grains.Threads;
using OrleansChat.Grains.Users;

namespace OrleansChat.Grains.Hosting;

public static class ChatGrainsSiloBuilderExtensions
{
    /// <summary>
    /// Everything the chat grains need on a silo: the Orleans ADO.NET grain storage on PostgreSQL (JSON payloads,
    /// so renaming a class never breaks a stored row), the message and thread stores, and options.
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder silo, string connectionString, IConfiguration? configuration = null)
    {
        // Pool sizes are read here, not through IOptions: Orleans' storage takes its connection string at registration.
        var pools = configuration?.GetSection(DatabasePoolOptions.Section).Get<DatabasePoolOptions>() ?? new DatabasePoolOptions();
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAdoNetGrainStorage(ChatStorageNames.Provider, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = ChatDataSource.Pooled(connectionString, pools.MaxPoolSize, "orleanschat-grain-state");
        });
        silo.Services.AddSingleton(_ => ChatDataSource.Create(connectionString, pools.MaxPoolSize));
        silo.Services.AddKeyedSingleton(ChatDataSource.SearchKey, (_, _) => ChatDataSource.CreateForSearch(connectionString, pools.MaxPoolSize));
        silo.Services.AddSingleton<MessageStore>();
        silo.Services.AddSingleton<ConversationStore>();
        silo.Services.AddSingleton<AttachmentLinkStore>();
        silo.Services.AddSingleton<PinStore>();
        // Explicit: the queue has a second constructor (over any append) for tests.
        silo.Services.AddSingleton(sp => new MessageAppendQueue(sp.GetRequiredService<MessageStore>(),
            sp.GetRequiredService<IOptions<AppendQueueOptions>>(), sp.GetRequiredService<ILogger<MessageAppendQueue>>()));
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<FrontCallBatcher>();
        silo.Services.AddSingleton<ThreadStore>();
        silo.Services.TryAddSingleton<CommitFaults>();
        silo.Services.AddSingleton<SearchStore>();
        silo.Services.AddSingleton<OutboxStore>();
        silo.Services.AddHostedService<WebhookDispatcher>();
        silo.Services.AddValidatedSettings<ThreadOptions>(ThreadOptions.Section, ThreadOptions.Rules);
        silo.Services.AddValidatedSettings<UserOptions>(UserOptions.Section, (o, _) => UserOptions.Rules(o));
        silo.Services.AddValidatedSettings<FrontCallOptions>(FrontCallOptions.Section, (o, _) => FrontCallOptions.Rules(o));
        silo.Services.AddValidatedSettings<DatabasePoolOptions>(DatabasePoolOptions.Section, (o, _) => DatabasePoolOptions.Rules(o));
        silo.Services.AddValidatedSettings<AppendQueueOptions>(AppendQueueOptions.Section, AppendQueueOptions.Rules);
        silo.Services.AddValidatedSettings<WebhookOptions>(WebhookOptions.Section, (o, _) => WebhookOptionsValidator.Rules(o));
        silo.AddChatPresence();
        return silo;
    }
}
