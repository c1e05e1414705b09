using Npgsql;

namespace OrleansChat.Grains.Storage;

public static class ChatDataSource
{
    /// <summary>The DI key of <see cref="CreateForSearch"/>'s pool.</summary>
    public const string SearchKey = "search";

    /// <summary>
    /// The silo's connection pool: no reset on return to the pool. No automatic preparation: with it, Npgsql 10.0.3
    /// could leave a stray row on a connection after PostgreSQL refused an append (npgsql#6391, "Received unexpected
    /// backend message DataRow"), so one user's refused row could fail another user's later send.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
    {
        NoResetOnClose = true,
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
