using Npgsql;

namespace OrleansChat.Grains.Storage;

public static class ChatDataSource
{
    /// <summary>The DI key of <see cref="CreateForSearch"/>'s pool.</summary>
    public const string SearchKey = "search";

    /// <summary>
    /// The silo's connection pool: no reset on return to the pool, and automatic preparation, so the hot statements
    /// (append, page, count) are parsed and planned once per connection instead of once per call (worth 15–40 % of
    /// many-threads throughput here). Rows PostgreSQL would refuse at bind time, which can leave an auto-prepared
    /// connection out of step (npgsql#6391), are refused before the statement is sent (<see cref="BindableText"/>).
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
    {
        NoResetOnClose = true,
        MaxAutoPrepare = 32,
        AutoPrepareMinUsages = 2,
    }.ConnectionString);

    /// <summary>
    /// Search's pool: nothing prepared, so every search is planned with its own words (a rare word wants the GIN
    /// index, a frequent one the id order; a cached generic plan would pick one for all).
    /// </summary>
    public static NpgsqlDataSource CreateForSearch(string connectionString) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
    {
        NoResetOnClose = true,
        MaxPoolSize = 20,
    }.ConnectionString);
}
