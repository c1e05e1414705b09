using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Attachments;

/// <summary>Attachment storage and cleanup (section "Attachments"); the S3 store's settings under "Attachments:S3".</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>The DI key of the clock the cleanup job ages uploads by (tests move it by hand).</summary>
    public const string ClockKey = "attachments";

    public const string PostgresStore = "postgres";
    public const string S3Store = "s3";

    /// <summary>Where new uploads' bytes go: <c>postgres</c> (the default, nothing to set up) or <c>s3</c>.</summary>
    public string Store { get; set; } = PostgresStore;

    /// <summary>How long an upload no message carries is kept (spec §8: 24 h).</summary>
    public TimeSpan UnattachedRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each front tries to run the cleanup (one front of the cluster runs it at a time).</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    public S3StoreOptions S3 { get; set; } = new();

    public bool UsesS3 => string.Equals(Store, S3Store, StringComparison.OrdinalIgnoreCase);

    public static SettingRules Rules(AttachmentOptions o, IConfiguration configuration)
    {
        var rules = new SettingRules(Section)
            .Require(o.UsesS3 || string.Equals(o.Store, PostgresStore, StringComparison.OrdinalIgnoreCase),
                $"{Section}:Store must be {PostgresStore} or {S3Store} (is {o.Store})")
            .Between(nameof(UnattachedRetention), o.UnattachedRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365))
            .Between(nameof(CleanupInterval), o.CleanupInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        return o.UsesS3 || o.S3.IsConfigured ? o.S3.AddRules(rules) : rules;
    }
}

/// <summary>
/// An S3-compatible bucket (section "Attachments:S3"). Configured once <see cref="Endpoint"/> is set; then every key
/// is checked at start. Uploads go up in parts of <see cref="PartSizeBytes"/>, the memory one upload holds at a time.
/// </summary>
public sealed class S3StoreOptions
{
    private const string Section = AttachmentOptions.Section + ":S3";
    private const int MinPartBytes = 5 * 1024 * 1024;
    private const int MaxPartBytes = 512 * 1024 * 1024;

    /// <summary>The service URL, e.g. <c>https://s3.eu-central-1.amazonaws.com</c> or <c>http://127.0.0.1:9000</c>.</summary>
    public string? Endpoint { get; set; }

    public string? Bucket { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>The signing region; S3-compatible servers mostly accept any.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Object keys are this prefix and the attachment id.</summary>
    public string KeyPrefix { get; set; } = "attachments/";

    /// <summary>S3 wants parts of at least 5 MiB (all but the last).</summary>
    public int PartSizeBytes { get; set; } = MinPartBytes;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    internal SettingRules AddRules(SettingRules rules) => rules
        .Require(Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
            $"{Section}:Endpoint must be an http or https URL (is '{Endpoint}')")
        .Require(!string.IsNullOrWhiteSpace(Bucket), $"{Section}:Bucket must be set")
        .Require(!string.IsNullOrWhiteSpace(AccessKey), $"{Section}:AccessKey must be set")
        .Require(!string.IsNullOrWhiteSpace(SecretKey), $"{Section}:SecretKey must be set")
        .Require(!string.IsNullOrWhiteSpace(Region), $"{Section}:Region must be set")
        .Require(PartSizeBytes is >= MinPartBytes and <= MaxPartBytes,
            $"{Section}:PartSizeBytes must be between {MinPartBytes} and {MaxPartBytes} (is {PartSizeBytes})");
}
