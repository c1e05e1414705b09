using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Storage;

/// <summary>The silo's PostgreSQL connection pools (section "Chat:Database").</summary>
public sealed class DatabasePoolOptions
{
    public const string Section = "Chat:Database";

    /// <summary>
    /// The most connections each of the silo's pools opens (chat statements, Orleans grain state, search), unless the
    /// connection string sets its own <c>Maximum Pool Size</c>. A start-up storm (thousands of grains activating at
    /// once) otherwise grows a pool to Npgsql's 100, and afterwards every idle connection is used in turn: each of 100
    /// backends keeps faulting in shared buffers and warming its own caches. 16 measured 25–35 % more durable msgs/s
    /// than 100 on 2 cores, with half PostgreSQL's CPU per message (docs/benchmarks.md).
    /// </summary>
    public int MaxPoolSize { get; set; } = 16;

    public static SettingRules Rules(DatabasePoolOptions o) => new SettingRules(Section)
        .Between(nameof(MaxPoolSize), o.MaxPoolSize, 2, 1_000);
}
