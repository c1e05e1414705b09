using System.Text;

namespace OrleansChat.GrainInterfaces.Configuration;

/// <summary>
/// What a configured key (Jwt:SigningKey, Webhooks:Secret) must be before a process starts with it: at least 32 bytes
/// of UTF-8, and not one of the placeholders the deploy/ examples ship — those are public and long enough to pass a
/// length check, so a copy deployed unedited must still be refused.
/// </summary>
public static class SecretRules
{
    public const int MinBytes = 32;

    private static readonly string[] PlaceholderMarkers = ["replace_me", "replace-me", "replaceme", "placeholder", "<your", "example-secret", "example_secret"];

    /// <summary>Why <paramref name="value"/> cannot be used as the key named <paramref name="name"/>, or null.</summary>
    public static string? Problem(string? value, string name)
    {
        if (value is null || Encoding.UTF8.GetByteCount(value) < MinBytes)
        {
            return $"{name} must be at least {MinBytes} bytes (e.g. openssl rand -hex 32).";
        }
        return IsPlaceholder(value)
            ? $"{name} is a placeholder from the deployment examples; set a random secret (e.g. openssl rand -hex 32)."
            : null;
    }

    public static bool IsPlaceholder(string value) =>
        PlaceholderMarkers.Any(marker => value.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
