using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAdoNetGrainStorage(ChatStorageNames.Provider, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton(_ => ChatDataSource.Create(connectionString));
        silo.Services.AddKeyedSingleton(ChatDataSource.SearchKey, (_, _) => ChatDataSource.CreateForSearch(connectionString));
        silo.Services.AddSingleton<MessageStore>();
        silo.Services.AddSingleton<ConversationStore>();
        silo.Services.AddSingleton<AttachmentLinkStore>();
        silo.Services.AddSingleton<PinStore>();
        silo.Services.AddSingleton<MessageAppendQueue>();
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
        silo.Services.AddValidatedSettings<AppendQueueOptions>(AppendQueueOptions.Section, AppendQueueOptions.Rules);
        silo.Services.AddValidatedSettings<WebhookOptions>(WebhookOptions.Section, (o, _) => WebhookOptionsValidator.Rules(o));
        silo.AddChatPresence();
        return silo;
    }
}
