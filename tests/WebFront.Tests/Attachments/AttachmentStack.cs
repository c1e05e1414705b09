using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.WebFront.Attachments;

namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>
/// A stack of its own for the attachment tests: the uploads' clock is moved by hand (the cleanup job ages uploads by
/// it) and the job looks every 200 ms. Each store has one (see <see cref="PostgresAttachmentStack"/> and
/// <see cref="S3AttachmentStack"/>); the same tests run against both.
/// </summary>
public abstract class AttachmentStack : IAsyncLifetime
{
    protected AttachmentStack() =>
        Chat = new ChatStack { ConfigureFrontServices = services => services.AddKeyedSingleton<TimeProvider>(AttachmentOptions.ClockKey, Clock) };

    public ManualClock Clock { get; } = new();

    public ChatStack Chat { get; }

    public abstract string StoreName { get; }

    public virtual Task InitializeAsync()
    {
        Chat.FrontSettings["Attachments:CleanupInterval"] = "00:00:00.200";
        return Chat.InitializeAsync();
    }

    public virtual Task DisposeAsync() => Chat.DisposeAsync();

    /// <summary>Whether the store still holds bytes of attachment <paramref name="id"/>.</summary>
    public abstract Task<bool> HasBytesAsync(long id);
}

public sealed class PostgresAttachmentStack : AttachmentStack
{
    public override string StoreName => AttachmentOptions.PostgresStore;

    public override async Task<bool> HasBytesAsync(long id) =>
        await Chat.Database.ScalarAsync<long>("SELECT count(*) FROM chat_attachment_chunks WHERE attachment_id = @id", ("id", id)) > 0;
}

public sealed class S3AttachmentStack : AttachmentStack
{
    private S3rverProcess? _s3rver;
    private IAmazonS3? _s3;

    public override string StoreName => AttachmentOptions.S3Store;

    public override async Task InitializeAsync()
    {
        _s3rver = await S3rverProcess.StartAsync();
        var options = new S3StoreOptions
        {
            Endpoint = _s3rver.Endpoint,
            Bucket = S3rverProcess.Bucket,
            AccessKey = S3rverProcess.AccessKey,
            SecretKey = S3rverProcess.SecretKey,
        };
        _s3 = S3ClientFactory.Create(options);
        Chat.FrontSettings["Attachments:Store"] = "s3";
        Chat.FrontSettings["Attachments:S3:Endpoint"] = options.Endpoint;
        Chat.FrontSettings["Attachments:S3:Bucket"] = options.Bucket;
        Chat.FrontSettings["Attachments:S3:AccessKey"] = options.AccessKey;
        Chat.FrontSettings["Attachments:S3:SecretKey"] = options.SecretKey;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _s3?.Dispose();
        if (_s3rver is not null)
        {
            await _s3rver.DisposeAsync();
        }
    }

    public override async Task<bool> HasBytesAsync(long id)
    {
        try
        {
            await _s3!.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = S3rverProcess.Bucket, Key = "attachments/" + id });
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
