using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// Records each caller's profile from their claims, cheaply: only when this front has not recorded that exact
/// profile yet (the user grain itself also ignores unchanged profiles).
/// </summary>
public sealed class ProfileRecorder(IClusterClient cluster, ProfileDirectory directory)
{
    private readonly ConcurrentDictionary<long, UserProfile> _recorded = new();

    public async Task RecordAsync(UserProfile profile)
    {
        if (_recorded.TryGetValue(profile.Id, out var known) && known == profile)
        {
            return;
        }
        await cluster.GetGrain<IUserGrain>(profile.Id).RecordProfile(profile);
        _recorded[profile.Id] = profile;
        directory.Remember(profile);
    }
}
