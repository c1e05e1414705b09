using System.Security.Cryptography;
using System.Text;

namespace OrleansChat.ChatClients;

/// <summary>Mints marketplace JWTs (HS256, iss marketplace, aud chat) the way <c>./chatctl token</c> does.</summary>
public sealed class TokenMinter(string signingKey, TimeSpan? lifetime = null)
{
    /// <summary>The signing key of a stack started by <c>./chatctl up</c> in Development (appsettings.Development.json).</summary>
    public const string DevelopmentKey = "dev-only-signing-key-change-me-0123456789abcdef";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingKey);
    private readonly TimeSpan _lifetime = lifetime ?? TimeSpan.FromHours(4);

    public string Mint(long userId, string username, string role)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(CultureInfo.InvariantCulture),
            ["username"] = username,
            ["role"] = role,
            ["iss"] = "marketplace",
            ["aud"] = "chat",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)_lifetime.TotalSeconds,
        };
        if (role == "client")
        {
            payload["company_name"] = "Load Test Inc";
        }
        else if (role == "freelancer")
        {
            payload["title"] = "Load Tester";
            payload["rate"] = "50.00";
        }
        var header = B64("""{"alg":"HS256","typ":"JWT"}"""u8);
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var input = header + "." + body;
        var signature = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(input)));
        return input + "." + signature;
    }

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
