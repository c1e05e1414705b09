using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// POST /api/dev/token: mints a marketplace token for local use (spec §1's development helper). Mapped only in
/// Development (see WebClientEndpoints), so in Production the path does not exist at all.
/// </summary>
public static class DevTokens
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static void MapDevTokens(this IEndpointRouteBuilder app, JwtOptions jwt) =>
        app.MapPost("/api/dev/token", async (HttpContext http) =>
        {
            var fields = new FieldReader(await JsonBody.ReadAsync(http.Request));
            var claims = Claims(fields);
            fields.ThrowIfInvalid();
            return Results.Ok(new { token = Mint(jwt, claims) });
        }).ExcludeFromDescription();

    private static Dictionary<string, object> Claims(FieldReader fields)
    {
        var userId = fields.Id("user_id", required: true);
        var claims = new Dictionary<string, object>
        {
            [ChatClaims.Subject] = (userId ?? 0).ToString(CultureInfo.InvariantCulture),
            [ChatClaims.Username] = fields.String("username", required: true, maxLength: 150) ?? "",
            [ChatClaims.Role] = fields.String("role", required: true, maxLength: 20) ?? "",
        };
        if (!UserRoles.TryParse((string)claims[ChatClaims.Role], out _))
        {
            fields.Error("role", "must be client, freelancer, admin or service");
        }
        foreach (var name in (string[])[ChatClaims.CompanyName, ChatClaims.Title])
        {
            if (fields.String(name, required: false, maxLength: 200) is { Length: > 0 } value)
            {
                claims[name] = value;
            }
        }
        if (fields.String(ChatClaims.Rate, required: false, maxLength: 20) is { Length: > 0 } rate)
        {
            if (Money.IsValidAmount(rate, allowZero: true))
            {
                claims[ChatClaims.Rate] = Money.Normalize(rate);
            }
            else
            {
                fields.Error(ChatClaims.Rate, "must be a decimal string such as \"50.00\"");
            }
        }
        return claims;
    }

    private static string Mint(JwtOptions jwt, Dictionary<string, object> claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
