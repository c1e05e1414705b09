using Microsoft.Extensions.Options;
using Npgsql;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Attachments;

/// <summary>Registers attachments on a front: metadata and chunks in PostgreSQL, the S3 store when configured, the cleanup job.</summary>
public static class AttachmentServices
{
    /// <summary>The front's own PostgreSQL pool for attachments (the silos have theirs).</summary>
    public const string DataSourceKey = "attachments";

    public static IServiceCollection AddChatAttachments(this IServiceCollection services, string connectionString)
    {
        services.AddValidatedSettings<AttachmentOptions>(AttachmentOptions.Section, AttachmentOptions.Rules);
        services.AddKeyedSingleton(DataSourceKey, (_, _) => NpgsqlDataSource.Create(connectionString));
        services.AddKeyedSingleton(AttachmentOptions.ClockKey, TimeProvider.System);
        services.AddSingleton<AttachmentRecords>();
        services.AddSingleton<PostgresBlobStore>();
        services.AddSingleton<AttachmentUploads>();
        services.AddSingleton<AttachmentDownloads>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AttachmentOptions>>().Value;
            var s3 = options.S3.IsConfigured
                ? new S3BlobStore(S3ClientFactory.Create(options.S3), options.S3, sp.GetRequiredService<ILogger<S3BlobStore>>())
                : null;
            return new AttachmentStores(sp.GetRequiredService<PostgresBlobStore>(), s3, options);
        });
        services.AddHostedService<AttachmentCleanup>();
        return services;
    }
}
