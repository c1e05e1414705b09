using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Identity;

/// <summary>How marketplace tokens are validated (configuration section "Jwt").</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    /// <summary>The key every front and the marketplace share, published only in Development configuration.</summary>
    public const string DevelopmentKey = "dev-only-signing-key-change-me-0123456789abcdef";

    public string SigningKey { get; set; } = "";

    public string Issuer { get; set; } = "marketplace";

    public string Audience { get; set; } = "chat";

    /// <summary>The spec allows at most 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Refuses to run with a short key, a deployment example's placeholder, or the public development key outside Development.</summary>
    public void Validate(bool isDevelopment)
    {
        var keyProblem = SecretRules.Problem(SigningKey, "Jwt:SigningKey (env Jwt__SigningKey)");
        ValidatedSettings.Checked(this, new SettingRules(Section)
            .Require(keyProblem is null, keyProblem ?? "")
            .Require(isDevelopment || SigningKey != DevelopmentKey, "The development signing key is refused outside Development: set Jwt__SigningKey.")
            .Between(nameof(ClockSkew), ClockSkew, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
    }
}
