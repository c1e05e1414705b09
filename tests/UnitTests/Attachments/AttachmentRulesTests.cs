using Microsoft.Extensions.Configuration;
using OrleansChat.WebFront.Attachments;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.UnitTests.Attachments;

/// <summary>Ranges, file names, settings and the send field: the attachment rules that need no storage.</summary>
public sealed class AttachmentRulesTests
{
    private const string Tag = "\"abc\"";

    [Theory]
    [InlineData(null, RangeKind.Whole, 0, 1000)]
    [InlineData("bytes=0-99", RangeKind.Partial, 0, 100)]
    [InlineData("bytes=990-", RangeKind.Partial, 990, 10)]
    [InlineData("bytes=-10", RangeKind.Partial, 990, 10)]
    [InlineData("bytes=-5000", RangeKind.Partial, 0, 1000)]
    [InlineData("bytes=900-5000", RangeKind.Partial, 900, 100)]
    [InlineData("bytes=1000-", RangeKind.Unsatisfiable, 0, 0)]
    [InlineData("bytes=-0", RangeKind.Unsatisfiable, 0, 0)]
    [InlineData("bytes=0-1,5-6", RangeKind.Whole, 0, 1000)]
    [InlineData("items=0-1", RangeKind.Whole, 0, 1000)]
    [InlineData("bytes=abc", RangeKind.Whole, 0, 1000)]
    [InlineData("bytes=5-1", RangeKind.Whole, 0, 1000)]
    public void Ranges_follow_RFC_9110(string? range, RangeKind kind, long from, long length) =>
        Assert.Equal(new RangeAnswer(kind, from, length), ByteRanges.Evaluate(range, null, Tag, 1000));

    [Fact]
    public void A_stale_If_Range_means_the_whole_file_and_an_empty_file_has_no_range()
    {
        Assert.Equal(RangeKind.Whole, ByteRanges.Evaluate("bytes=0-9", "\"old\"", Tag, 1000).Kind);
        Assert.Equal(RangeKind.Partial, ByteRanges.Evaluate("bytes=0-9", Tag, Tag, 1000).Kind);
        Assert.Equal(RangeKind.Unsatisfiable, ByteRanges.Evaluate("bytes=0-", null, Tag, 0).Kind);
    }

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("C:\\Users\\me\\secret\\plan.pdf", "plan.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("a\u0000b\r\nc.txt", "abc.txt")]
    [InlineData("  ", "file")]
    [InlineData("..", "file")]
    [InlineData(null, "file")]
    [InlineData("Entwurf – final 😀.png", "Entwurf – final 😀.png")]
    public void File_names_keep_the_last_segment_without_control_characters(string? given, string kept) =>
        Assert.Equal(kept, FileNames.Clean(given));

    [Fact]
    public void File_names_are_cut_at_255_code_points_never_inside_a_pair()
    {
        var kept = FileNames.Clean(string.Concat(Enumerable.Repeat("😀", 300)));
        Assert.Equal(255, kept.EnumerateRunes().Count());
    }

    [Fact]
    public void The_S3_store_is_checked_at_start_once_chosen()
    {
        var empty = new ConfigurationBuilder().Build();
        Assert.Empty(AttachmentOptions.Rules(new AttachmentOptions(), empty).Failures);
        var failures = AttachmentOptions.Rules(new AttachmentOptions { Store = "s3" }, empty).Failures;
        Assert.Contains(failures, f => f.StartsWith("Attachments:S3:Endpoint", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Attachments:S3:Bucket", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Attachments:S3:SecretKey", StringComparison.Ordinal));
        var small = new AttachmentOptions
        {
            Store = "s3",
            S3 = new S3StoreOptions { Endpoint = "http://127.0.0.1:9000", Bucket = "b", AccessKey = "k", SecretKey = "s", PartSizeBytes = 1024 },
        };
        Assert.Equal(["Attachments:S3:PartSizeBytes must be between 5242880 and 536870912 (is 1024)"], AttachmentOptions.Rules(small, empty).Failures);
        Assert.Single(AttachmentOptions.Rules(new AttachmentOptions { Store = "disk" }, empty).Failures);
        Assert.Single(AttachmentOptions.Rules(new AttachmentOptions { UnattachedRetention = TimeSpan.Zero }, empty).Failures);
    }

    [Fact]
    public void A_send_reads_attachments_and_may_then_have_empty_text()
    {
        var caller = new Caller(1, "c", UserRole.Client);
        var command = MessageRules.ReadSend(Fields("""{"message": "", "attachments": [3, 1]}"""), caller);
        Assert.Equal([3L, 1L], command.Attachments);
        Assert.Equal("", command.Text);
        Assert.Equal("", MessageRules.ReadSend(Fields("""{"attachments": [3]}"""), caller).Text);
        Assert.Null(MessageRules.ReadSend(Fields("""{"message": "hi", "attachments": []}"""), caller).Attachments);
        Assert.Throws<RequestProblemException>(() => MessageRules.ReadSend(Fields("""{"message": "", "attachments": []}"""), caller));
        Assert.Throws<RequestProblemException>(() => MessageRules.ReadSend(Fields("""{"message": "x", "attachments": [1, 1]}"""), caller));
        Assert.Throws<RequestProblemException>(() => MessageRules.ReadSend(Fields("""{"message": "x", "attachments": [0]}"""), caller));
        Assert.Throws<RequestProblemException>(() => MessageRules.ReadSend(Fields("""{"message": "x", "attachments": [1,2,3,4,5,6,7,8,9,10,11]}"""), caller));
    }

    private static FieldReader Fields(string json) => new(System.Text.Json.JsonDocument.Parse(json).RootElement.Clone());
}
