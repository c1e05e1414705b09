using System.Collections.Concurrent;

namespace OrleansChat.WebFront.Chat;

/// <summary>Profiles for rendering threads, cached briefly so a thread list does not cost two grain calls per thread.</summary>
public sealed class ProfileDirectory(IClusterClient cluster, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<long, (UserProfile? Profile, DateTimeOffset At)> _cache = new();

    public async Task<UserProfile?> GetAsync(long userId)
    {
        if (_cache.TryGetValue(userId, out var entry) && time.GetUtcNow() - entry.At < Lifetime)
        {
            return entry.Profile;
        }
        var profile = await cluster.GetGrain<IUserGrain>(userId).GetProfile();
        _cache[userId] = (profile, time.GetUtcNow());
        return profile;
    }

    /// <summary>Uncached: deciding who may be in a thread must not rest on a stale profile.</summary>
    public async Task<UserProfile?> GetFreshAsync(long userId)
    {
        var profile = await cluster.GetGrain<IUserGrain>(userId).GetProfile();
        _cache[userId] = (profile, time.GetUtcNow());
        return profile;
    }

    public void Remember(UserProfile profile) => _cache[profile.Id] = (profile, time.GetUtcNow());
}
