using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace OrleansChat.WebFront.Identity;

/// <summary>
/// Who is on the other end of a socket, and until when their token allows it. Plain values, not the principal: a
/// socket lives for hours, and the principal would keep the parsed token alive with it (as on the bearer path).
/// </summary>
public sealed record WebSocketIdentity(UserProfile Profile, Caller Caller, DateTime ExpiresAt);

/// <summary>
/// Validates the query-string token after the upgrade (a browser sees close codes, not 401s) with exactly the
/// bearer scheme's parameters, so REST, the hub and the socket accept the same tokens.
/// </summary>
public sealed class WebSocketTokenValidator(IOptionsMonitor<JwtBearerOptions> bearerOptions)
{
    // The claims keep their JWT names (sub, username, role), as the bearer scheme's MapInboundClaims = false does.
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>The token from <c>?token=</c> (the seed) or <c>?access_token=</c>.</summary>
    public static string? TokenFrom(HttpRequest request) =>
        request.Query["token"].FirstOrDefault(t => !string.IsNullOrEmpty(t))
        ?? request.Query["access_token"].FirstOrDefault(t => !string.IsNullOrEmpty(t));

    /// <summary>The identity, or null for a missing, malformed, badly signed, expired or claim-less token.</summary>
    public async Task<WebSocketIdentity?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var parameters = bearerOptions.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.ClaimsIdentity is null)
        {
            return null;
        }
        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        if (ChatClaims.Problem(principal) is not null)
        {
            return null;
        }
        return new WebSocketIdentity(principal.ToProfile(), principal.ToCaller(), result.SecurityToken.ValidTo);
    }
}
