using System.Globalization;
using System.Security.Claims;
using OrleansChat.WebFront.Chat;

namespace OrleansChat.WebFront.Identity;

/// <summary>The claims of a marketplace token (spec §1) and how they become a caller and a profile.</summary>
public static class ChatClaims
{
    public const string Subject = "sub";
    public const string Username = "username";
    public const string Role = "role";
    public const string CompanyName = "company_name";
    public const string Title = "title";
    public const string Rate = "rate";

    /// <summary>Why these claims are unusable, or null when they are fine.</summary>
    public static string? Problem(ClaimsPrincipal principal)
    {
        if (!TryParseUserId(principal.FindFirstValue(Subject), out _))
        {
            return "sub must be the decimal string of a positive integer";
        }
        if (string.IsNullOrWhiteSpace(principal.FindFirstValue(Username)) || principal.FindFirstValue(Username)!.Length > 150)
        {
            return "username is required (at most 150 characters)";
        }
        if (!UserRoles.TryParse(principal.FindFirstValue(Role), out _))
        {
            return "role must be client, freelancer, admin or service";
        }
        if (principal.FindFirstValue(Rate) is { } rate && !Money.IsValidAmount(rate, allowZero: true))
        {
            return "rate must be a decimal string such as \"50.00\"";
        }
        return null;
    }

    /// <summary>The same claims in a plain identity that no longer references the token it was read from.</summary>
    public static ClaimsPrincipal Detached(ClaimsPrincipal principal)
    {
        var source = principal.Identity as ClaimsIdentity;
        var claims = principal.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, source?.AuthenticationType, Username, Role));
    }

    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        TryParseUserId(principal.FindFirstValue(Subject), out var id);
        UserRoles.TryParse(principal.FindFirstValue(Role), out var role);
        return new Caller(id, principal.FindFirstValue(Username)!, role);
    }

    public static UserProfile ToProfile(this ClaimsPrincipal principal)
    {
        var caller = principal.ToCaller();
        return new UserProfile(caller.Id, caller.Username, caller.Role,
            principal.FindFirstValue(CompanyName), principal.FindFirstValue(Title), principal.FindFirstValue(Rate));
    }

    public static bool TryParseUserId(string? value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && id < (1L << 53);
}
