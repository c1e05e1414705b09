namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>The attachment tests against the default store, PostgreSQL (chunks of 256 KiB).</summary>
public sealed class PostgresAttachmentTests(PostgresAttachmentStack stack) : AttachmentTests<PostgresAttachmentStack>(stack);

/// <summary>The same tests against an S3-compatible bucket (s3rver, started by the fixture; parts of 5 MiB).</summary>
public sealed class S3AttachmentTests(S3AttachmentStack stack) : AttachmentTests<S3AttachmentStack>(stack);

/// <summary>
/// Attachments (spec §8) end to end, over one store per stack: upload, send, download (whole and ranges), limits,
/// who may see what, content types, deletion and the cleanup job (<c>AttachmentTests.*.cs</c>). Every download is
/// compared byte for byte with what was uploaded.
/// </summary>
public abstract partial class AttachmentTests<TStack>(TStack stack) : IClassFixture<TStack>
    where TStack : AttachmentStack
{
    protected TStack Stack { get; } = stack;

    protected ChatStack Chat => Stack.Chat;

    /// <summary>A file over 5 MiB, so the S3 store uploads it in two parts, and PostgreSQL's takes 25 chunks.</summary>
    protected static readonly byte[] LargePng = AttachmentApi.Bytes(6 * 1024 * 1024 + 123, AttachmentApi.Png, seed: 7);

    protected async Task<(TestUser Client, TestUser Freelancer, long ThreadId, HttpClient ClientHttp, HttpClient FreelancerHttp)> NewThreadAsync()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(Chat);
        return (client, freelancer, threadId, Chat.Http(client.Token), Chat.Http(freelancer.Token));
    }
}
