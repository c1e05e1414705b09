using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansChat.TestStack;

/// <summary>Mints marketplace tokens the way the marketplace would, signed with the test stack's key.</summary>
public sealed class TestTokens(string signingKey)
{
    public string SigningKey { get; } = signingKey;

    public string Mint(long userId, string username, string role, TimeSpan? lifetime = null, string issuer = "marketplace",
        string audience = "chat", IDictionary<string, object>? extra = null, string? key = null, DateTime? notBefore = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = username,
            ["role"] = role,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, object>())
        {
            claims[k] = v;
        }
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = notBefore ?? (expires < now ? expires.AddMinutes(-5) : now),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(long userId, string username, string role)
    {
        static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"{userId}\",\"username\":\"{username}\",\"role\":\"{role}\",\"iss\":\"marketplace\",\"aud\":\"chat\",\"exp\":{exp}}}")}.";
    }

    public static ClaimsIdentity Identity(long userId) => new([new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
}
