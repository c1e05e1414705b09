using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Identity;

public static class JwtAuthentication
{
    /// <summary>
    /// HS256 only, issuer and audience checked, expiry required, skew at most 30 s. Browsers cannot set headers on
    /// WebSockets, so the realtime paths also take the token from the query string (never logged: see logging setup).
    /// </summary>
    public static IServiceCollection AddChatJwt(this IServiceCollection services, JwtOptions jwt)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            // Nothing reads the raw token back (GetTokenAsync): do not keep a copy of it per request or connection.
            options.SaveToken = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = jwt.Issuer,
                ValidateAudience = true,
                ValidAudience = jwt.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = jwt.ClockSkew,
                NameClaimType = ChatClaims.Username,
                RoleClaimType = ChatClaims.Role,
            };
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var path = context.HttpContext.Request.Path;
                    if (string.IsNullOrEmpty(context.Token) && (path.StartsWithSegments("/hubs") || path.StartsWithSegments("/ws")))
                    {
                        var query = context.HttpContext.Request.Query;
                        context.Token = query["access_token"].FirstOrDefault() ?? query["token"].FirstOrDefault();
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    if (ChatClaims.Problem(context.Principal!) is { } problem)
                    {
                        context.Fail(problem);
                        return Task.CompletedTask;
                    }
                    // A realtime connection keeps its principal for hours: keep only the claims, not the identity's
                    // link to the parsed token (raw token, decoded header and payload).
                    context.Principal = ChatClaims.Detached(context.Principal!);
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Problems.Write(context.HttpContext, StatusCodes.Status401Unauthorized,
                        "Authentication required: a valid marketplace token (Bearer) is missing, expired or invalid.");
                },
                OnForbidden = context => Problems.Write(context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed."),
            };
        });
        services.AddAuthorization();
        return services;
    }
}
