using Npgsql;
using OrleansChat.Grains.Storage;

namespace OrleansChat.TestSupport;

/// <summary>
/// A fresh database on the project's real PostgreSQL for one test class (or run), with the project's migrations
/// applied by the same runner the silo uses. Dropped on dispose, so runs stay independent.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>For assertions straight against the tables.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The server to use: CHAT_TEST_PG (set by ./chatctl test), or the project-local defaults.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("CHAT_TEST_PG") is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=15432;Username=orleanschat;Password=orleanschat;Database=orleanschat";

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "chat_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 60 }.ConnectionString;
        await DatabaseMigrator.MigrateAsync(connectionString);
        return new TestDatabase(name, connectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (n, v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                // FORCE may not terminate a backend of another role (an autovacuum worker on this throwaway database):
                // try again shortly, and after a few tries leave the database behind rather than fail the run.
                if (attempt == 10)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(300));
            }
        }
    }
}
