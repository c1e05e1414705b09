using Microsoft.Extensions.Configuration;
using OrleansChat.Grains.Storage;
using OrleansChat.Grains.Threads;
using OrleansChat.WebFront.Chat;
using OrleansChat.WebFront.Delivery;
using OrleansChat.WebFront.WebSocket;

namespace OrleansChat.UnitTests;

/// <summary>Every settings class is checked at start, and each failure names its key, its range and the value found.</summary>
public sealed class SettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_defaults_pass_everywhere()
    {
        var empty = Config();
        Assert.Empty(RealtimeOptions.Rules(new RealtimeOptions(), empty).Failures);
        Assert.Empty(RateLimitOptions.Rules(new RateLimitOptions(), empty).Failures);
        Assert.Empty(ChatWebSocketOptions.Rules(new ChatWebSocketOptions(), empty).Failures);
        Assert.Empty(ThreadOptions.Rules(new ThreadOptions(), empty).Failures);
        Assert.Empty(AppendQueueOptions.Rules(new AppendQueueOptions(), empty).Failures);
        Assert.Empty(DatabasePoolOptions.Rules(new DatabasePoolOptions()).Failures);
        Assert.Empty(SendRetryOptions.Rules(new SendRetryOptions(), empty).Failures);
    }

    [Fact]
    public void Renewal_must_come_at_least_twice_per_observer_expiry_checked_from_both_sides()
    {
        var front = RealtimeOptions.Rules(new RealtimeOptions { ResubscribeInterval = TimeSpan.FromSeconds(90) }, Config());
        Assert.Equal(["Chat:Realtime:ResubscribeInterval must be between 00:00:01 and 00:01:00 (is 00:01:30)"], front.Failures);

        var silo = ThreadOptions.Rules(new ThreadOptions { ObserverExpiry = TimeSpan.FromSeconds(30) }, Config(("Chat:Realtime:ResubscribeInterval", "00:00:20")));
        Assert.Single(silo.Failures, f => f.StartsWith("Chat:Threads:ObserverExpiry must be between 00:00:40", StringComparison.Ordinal));
    }

    [Fact]
    public void Typing_may_not_outlive_the_specs_ten_seconds_and_a_commit_holds_a_whole_thread_batch()
    {
        Assert.Single(ThreadOptions.Rules(new ThreadOptions { TypingExpiry = TimeSpan.FromSeconds(11) }, Config()).Failures);
        var append = AppendQueueOptions.Rules(new AppendQueueOptions { MaxRowsPerCommit = 100 }, Config(("Chat:Threads:MaxBatchSize", "500")));
        Assert.Equal(["Chat:Storage:MaxRowsPerCommit must be between 500 and 100000 (is 100)"], append.Failures);
    }

    [Fact]
    public void A_rate_limit_that_is_on_needs_a_burst_and_zero_turns_it_off()
    {
        Assert.Single(RateLimitOptions.Rules(new RateLimitOptions { SendsPerSecond = 10, Burst = 0 }, Config()).Failures);
        Assert.Empty(RateLimitOptions.Rules(new RateLimitOptions { SendsPerSecond = 0, Burst = 0 }, Config()).Failures);
    }
}

/// <summary>One switch for load tests: every per-user bucket off at once.</summary>
public sealed class RateLimitSwitchTests
{
    [Fact]
    public void Disabled_limits_never_refuse()
    {
        var limits = new SendRateLimiter(Microsoft.Extensions.Options.Options.Create(new RateLimitOptions { Enabled = false, Burst = 1, HubInvocationBurst = 1 }), TimeProvider.System);
        for (var i = 0; i < 1_000; i++)
        {
            limits.Acquire(7);
            limits.HubInvocations.Acquire(7);
            limits.MarkReads.Acquire(7);
        }
        // A clock that stands still: on a loaded machine the system clock could refill the bucket between two calls.
        var enabled = new SendRateLimiter(Microsoft.Extensions.Options.Options.Create(new RateLimitOptions { Burst = 1 }), new OrleansChat.TestSupport.ManualClock());
        enabled.Acquire(7);
        Assert.Throws<RequestProblemException>(() => enabled.Acquire(7));
    }
}
