using System.Data.Common;
using Npgsql;

namespace OrleansChat.Grains.Storage;

public static class ChatDataSource
{
    /// <summary>The DI key of <see cref="CreateForSearch"/>'s pool.</summary>
    public const string SearchKey = "search";

    /// <summary>The most connections of the search pool when the configured pool size is larger.</summary>
    private const int SearchPoolSize = 20;

    /// <summary>
    /// The silo's connection pool: no reset on return to the pool, and automatic preparation, so the hot statements
    /// (append, page, count) are parsed and planned once per connection instead of once per call (worth 15–40 % of
    /// many-threads throughput here). Rows PostgreSQL would refuse at bind time, which can leave an auto-prepared
    /// connection out of step (npgsql#6391), are refused before the statement is sent (<see cref="BindableText"/>).
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString, int maxPoolSize) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Pooled(connectionString, maxPoolSize, "orleanschat-silo"))
    {
        NoResetOnClose = true,
        MaxAutoPrepare = 32,
        AutoPrepareMinUsages = 2,
    }.ConnectionString);

    /// <summary>
    /// Search's pool: nothing prepared, so every search is planned with its own words (a rare word wants the GIN
    /// index, a frequent one the id order; a cached generic plan would pick one for all).
    /// </summary>
    public static NpgsqlDataSource CreateForSearch(string connectionString, int maxPoolSize = SearchPoolSize) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Pooled(connectionString, Math.Min(maxPoolSize, SearchPoolSize), "orleanschat-search"))
        {
            NoResetOnClose = true,
        }.ConnectionString);

    /// <summary>
    /// The connection string with a pool size limit and an application name (what <c>pg_stat_activity</c> shows), each
    /// only where the operator's string does not set its own.
    /// </summary>
    public static string Pooled(string connectionString, int maxPoolSize, string applicationName)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(given, "Maximum Pool Size", "MaxPoolSize", "Max Pool Size"))
        {
            builder.MaxPoolSize = maxPoolSize;
        }
        if (!Sets(given, "Application Name", "ApplicationName"))
        {
            builder.ApplicationName = applicationName;
        }
        return builder.ConnectionString;
    }

    /// <summary>Whether the string names any of the keywords (keys compare without regard to case).</summary>
    private static bool Sets(DbConnectionStringBuilder given, params string[] keywords) => keywords.Any(given.ContainsKey);
}
