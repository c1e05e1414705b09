using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Identity;
using OrleansChat.WebFront.Json;

namespace OrleansChat.WebFront.Http;

/// <summary>The caller's profile, and registration of users by service accounts ahead of their first login.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder users)
    {
        users.MapGet("/me/", async (HttpContext http, IClusterClient cluster) =>
        {
            var caller = http.User.ToCaller();
            var profile = await cluster.GetGrain<IUserGrain>(caller.Id).GetProfile() ?? http.User.ToProfile();
            return Results.Json(ProfileJson.From(profile), WireJson.Options);
        }).Answers<ProfileJson>();
        users.MapPut("/{id:long}/", RegisterUser).JsonBody<RegisterUserBody>().Answers<ProfileJson>().Problems(403, 404);
        return users;
    }

    private static async Task<IResult> RegisterUser(long id, HttpContext http, IClusterClient cluster, ProfileDirectory profiles)
    {
        var caller = http.User.ToCaller();
        if (caller.Role != UserRole.Service)
        {
            throw new RequestProblemException(403, "Only service accounts register users.");
        }
        if (id <= 0 || id >= 1L << 53)
        {
            throw ChatException.NotFound();
        }
        var fields = new FieldReader(await JsonBody.ReadAsync(http.Request));
        var username = fields.String("username", required: true, maxLength: 150);
        if (username is { } u && string.IsNullOrWhiteSpace(u))
        {
            fields.Error("username", "must not be blank");
        }
        var roleText = fields.String("role", required: true);
        if (roleText is not null && (!UserRoles.TryParse(roleText, out var parsed) || parsed is not (UserRole.Client or UserRole.Freelancer)))
        {
            fields.Error("role", "must be client or freelancer");
        }
        var company = fields.String("company_name", maxLength: 200);
        var title = fields.String("title", maxLength: 200);
        var rate = fields.String("rate", maxLength: 20);
        if (rate is not null && !Money.IsValidAmount(rate, allowZero: true))
        {
            fields.Error("rate", "must be a decimal string such as \"50.00\"");
        }
        fields.ThrowIfInvalid();
        UserRoles.TryParse(roleText, out var role);
        var profile = new UserProfile(id, username!, role, company, title, rate is null ? null : Money.Normalize(rate));
        await cluster.GetGrain<IUserGrain>(id).RecordProfile(profile);
        profiles.Remember(profile);
        return Results.Json(ProfileJson.From(profile), WireJson.Options);
    }
}
