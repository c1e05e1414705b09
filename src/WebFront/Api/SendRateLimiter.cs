using System.Threading.RateLimiting;

namespace OrleansChat.WebFront.Api;

/// <summary>Rate limit options (section "Chat:RateLimit"); 0 sends per second turns limiting off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Chat:RateLimit";

    public int SendsPerSecond { get; set; } = 20;

    public int Burst { get; set; } = 40;
}

/// <summary>
/// One token bucket per user for every kind of send (REST, hub, WebSocket), so a user cannot get around the
/// limit by switching protocols. The buckets live in this front process.
/// </summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long>? _limiter;

    public SendRateLimiter(RateLimitOptions options)
    {
        if (options.SendsPerSecond <= 0)
        {
            return;
        }
        // Small periods keep the bucket smooth: 20/s refills one token every 50 ms rather than 20 once a second.
        var (tokens, period) = options.SendsPerSecond <= 100
            ? (1, TimeSpan.FromSeconds(1.0 / options.SendsPerSecond))
            : ((int)Math.Ceiling(options.SendsPerSecond / 100.0), TimeSpan.FromMilliseconds(10));
        _limiter = PartitionedRateLimiter.Create<long, long>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, options.Burst),
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes a token for one send, or refuses with 429 and a Retry-After.</summary>
    public void Acquire(long userId)
    {
        if (_limiter is null)
        {
            return;
        }
        using var lease = _limiter.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            throw new RequestProblemException(429, "Too many messages: slow down.") { RetryAfter = retryAfter };
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
