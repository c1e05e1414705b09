using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.Chat;

/// <summary>
/// Per-user rate limits (section "Chat:RateLimit"): a token bucket of N per second with a burst, per kind of action.
/// 0 per second turns that limit off. The defaults are far above what the web client and the seed's client do.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Chat:RateLimit";

    /// <summary>The key of the TimeProvider the buckets read (tests replace it with a clock they move by hand).</summary>
    public const string ClockKey = "chat-rate-limit";

    /// <summary>false turns every limit below off at once (load tests; spec §3 lets them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sends of every type, REST, hub and WebSocket together.</summary>
    public int SendsPerSecond { get; set; } = 20;

    public int Burst { get; set; } = 40;

    /// <summary>Threads created by a client or freelancer (service and admin accounts, which act for the marketplace, are not limited).</summary>
    public int ThreadCreatesPerSecond { get; set; } = 5;

    public int ThreadCreateBurst { get; set; } = 30;

    /// <summary>Mark-read over REST, the hub and the WebSocket together.</summary>
    public int MarkReadsPerSecond { get; set; } = 20;

    public int MarkReadBurst { get; set; } = 100;

    /// <summary>Every hub invocation except Typing (which has its own bucket), SendMessage and MarkRead included.</summary>
    public int HubInvocationsPerSecond { get; set; } = 50;

    public int HubInvocationBurst { get; set; } = 300;

    /// <summary>Typing updates (hub and WebSocket); excess ones are dropped silently, never refused.</summary>
    public int TypingPerSecond { get; set; } = 20;

    public int TypingBurst { get; set; } = 60;

    /// <summary>Rates from 0 (off) up; a limit that is on needs a burst of at least one.</summary>
    public static SettingRules Rules(RateLimitOptions o, IConfiguration configuration)
    {
        var rules = new SettingRules(Section);
        foreach (var (rate, burst, rateName, burstName) in new[]
        {
            (o.SendsPerSecond, o.Burst, nameof(SendsPerSecond), nameof(Burst)),
            (o.ThreadCreatesPerSecond, o.ThreadCreateBurst, nameof(ThreadCreatesPerSecond), nameof(ThreadCreateBurst)),
            (o.MarkReadsPerSecond, o.MarkReadBurst, nameof(MarkReadsPerSecond), nameof(MarkReadBurst)),
            (o.HubInvocationsPerSecond, o.HubInvocationBurst, nameof(HubInvocationsPerSecond), nameof(HubInvocationBurst)),
            (o.TypingPerSecond, o.TypingBurst, nameof(TypingPerSecond), nameof(TypingBurst)),
        })
        {
            rules.Between(rateName, rate, 0, 1_000_000);
            if (rate > 0)
            {
                rules.Between(burstName, burst, 1, 1_000_000);
            }
        }
        return rules;
    }
}

/// <summary>
/// The front's per-user limits, one token bucket per user and kind: <see cref="Acquire"/> for sends (REST, hub and
/// WebSocket share it, so switching protocols does not get around it), and the other kinds as properties. (The name
/// predates the other kinds.) The buckets live in this front process and read <see cref="RateLimitOptions.ClockKey"/>'s clock.
/// </summary>
public sealed class SendRateLimiter(IOptions<RateLimitOptions> settings, [FromKeyedServices(RateLimitOptions.ClockKey)] TimeProvider clock)
{
    public UserRateLimiter Sends { get; } = new(Rate(settings.Value, settings.Value.SendsPerSecond), settings.Value.Burst, clock, "Too many messages: slow down.");

    public UserRateLimiter ThreadCreates { get; } = new(Rate(settings.Value, settings.Value.ThreadCreatesPerSecond), settings.Value.ThreadCreateBurst, clock, "Too many new threads: slow down.");

    public UserRateLimiter MarkReads { get; } = new(Rate(settings.Value, settings.Value.MarkReadsPerSecond), settings.Value.MarkReadBurst, clock, "Too many mark-read requests: slow down.");

    /// <summary>Mark-delivered (spec §7), at the mark-read rate: the web client marks at most once a second per thread.</summary>
    public UserRateLimiter MarkDelivered { get; } = new(Rate(settings.Value, settings.Value.MarkReadsPerSecond), settings.Value.MarkReadBurst, clock, "Too many mark-delivered requests: slow down.");

    /// <summary>Reactions added or removed (spec §7), at the send rate.</summary>
    public UserRateLimiter Reactions { get; } = new(Rate(settings.Value, settings.Value.SendsPerSecond), settings.Value.Burst, clock, "Too many reactions: slow down.");

    public UserRateLimiter HubInvocations { get; } = new(Rate(settings.Value, settings.Value.HubInvocationsPerSecond), settings.Value.HubInvocationBurst, clock, "Too many hub calls: slow down.");

    public UserRateLimiter Typing { get; } = new(Rate(settings.Value, settings.Value.TypingPerSecond), settings.Value.TypingBurst, clock, "Too many typing updates.");

    private static int Rate(RateLimitOptions options, int perSecond) => options.Enabled ? perSecond : 0;

    /// <summary>Takes a token for one send, or refuses with 429 and a Retry-After.</summary>
    public void Acquire(long userId) => Sends.Acquire(userId);
}

/// <summary>One token bucket per user: <paramref name="perSecond"/> tokens a second, at most <paramref name="burst"/> saved up.</summary>
public sealed class UserRateLimiter(int perSecond, int burst, TimeProvider clock, string refusal)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();
    private readonly double _capacity = Math.Max(1, burst);
    private int _calls;

    public bool Enabled => perSecond > 0;

    /// <summary>Takes a token, or refuses with 429 and a Retry-After.</summary>
    public void Acquire(long userId)
    {
        if (!TryAcquire(userId, out var retryAfter))
        {
            throw new RequestProblemException(StatusCodes.Status429TooManyRequests, refusal) { RetryAfter = retryAfter };
        }
    }

    /// <summary>Takes a token if there is one; otherwise says how long until there is.</summary>
    public bool TryAcquire(long userId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled)
        {
            return true;
        }
        var now = clock.GetTimestamp();
        var bucket = _buckets.GetOrAdd(userId, static (_, state) => new Bucket(state.Capacity, state.Now), (Capacity: _capacity, Now: now));
        bool acquired;
        lock (bucket)
        {
            bucket.Refill(now, clock, perSecond, _capacity);
            acquired = bucket.Tokens >= 1;
            if (acquired)
            {
                bucket.Tokens -= 1;
            }
            else
            {
                retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
            }
        }
        if (Interlocked.Increment(ref _calls) % 1024 == 0 && _buckets.Count > PruneAbove)
        {
            Prune(now);
        }
        return acquired;
    }

    /// <summary>A full bucket is the same as no bucket: forget it, so idle users cost no memory.</summary>
    private void Prune(long now)
    {
        foreach (var (userId, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, clock, perSecond, _capacity);
                if (bucket.Tokens >= _capacity)
                {
                    _buckets.TryRemove(KeyValuePair.Create(userId, bucket));
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        private long Stamp { get; set; } = stamp;

        public void Refill(long now, TimeProvider clock, int perSecond, double capacity)
        {
            if (now > Stamp)
            {
                Tokens = Math.Min(capacity, Tokens + (clock.GetElapsedTime(Stamp, now).TotalSeconds * perSecond));
                Stamp = now;
            }
        }
    }
}
