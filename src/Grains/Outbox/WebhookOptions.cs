using Microsoft.Extensions.Options;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Outbox;

/// <summary>Delivery of integration events to the marketplace (section "Webhooks"); off while <see cref="Url"/> is empty.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    public string? Url { get; set; }

    /// <summary>HMAC-SHA256 key for the X-Chat-Signature header: at least 32 bytes whenever <see cref="Url"/> is set.</summary>
    public string Secret { get; set; } = "";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int BatchSize { get; set; } = 50;
}

/// <summary>A silo with a webhook URL refuses to start unless the secret is a real one (see <see cref="SecretRules"/>).</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public static SettingRules Rules(WebhookOptions options)
    {
        var problem = string.IsNullOrWhiteSpace(options.Url) ? null : SecretRules.Problem(options.Secret, "Webhooks:Secret (env Webhooks__Secret)");
        return new SettingRules(WebhookOptions.Section).Require(problem is null, problem ?? "");
    }

    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        Rules(options).Failures is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
}
