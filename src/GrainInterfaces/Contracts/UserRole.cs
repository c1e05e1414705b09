namespace OrleansChat.GrainInterfaces;

[GenerateSerializer, Alias("chat.UserRole")]
public enum UserRole
{
    Client = 0,
    Freelancer = 1,
    Admin = 2,
    Service = 3,
}

public static class UserRoles
{
    public static string ToWire(this UserRole role) => role switch
    {
        UserRole.Client => "client",
        UserRole.Freelancer => "freelancer",
        UserRole.Admin => "admin",
        _ => "service",
    };

    public static bool TryParse(string? value, out UserRole role)
    {
        switch (value)
        {
            case "client": role = UserRole.Client; return true;
            case "freelancer": role = UserRole.Freelancer; return true;
            case "admin": role = UserRole.Admin; return true;
            case "service": role = UserRole.Service; return true;
            default: role = default; return false;
        }
    }

    /// <summary>Service and admin accounts act for the marketplace: they see every thread.</summary>
    public static bool IsPrivileged(this UserRole role) => role is UserRole.Admin or UserRole.Service;
}
