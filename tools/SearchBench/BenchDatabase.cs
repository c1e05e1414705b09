using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OrleansChat.Grains.Storage;

namespace OrleansChat.SearchBench;

/// <summary>The benchmark's own database: created and migrated like the chat's, filled by seed.sql once.</summary>
internal static class BenchDatabase
{
    public const int Clients = 2000;
    public const int Freelancers = 5000;
    public const long HeavyUser = 9999;

    public static async Task<string> PrepareAsync(BenchOptions options)
    {
        await using (var server = new NpgsqlConnection(options.ServerConnectionString))
        {
            await server.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @d", server);
            exists.Parameters.AddWithValue("d", options.Database);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{options.Database}\"", server);
                await create.ExecuteNonQueryAsync();
            }
        }
        var connectionString = new NpgsqlConnectionStringBuilder(options.ServerConnectionString) { Database = options.Database }.ConnectionString;
        await DatabaseMigrator.MigrateAsync(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var count = await ScalarAsync<long>(connection, "SELECT count(*) FROM chat_messages");
        if (count == options.Messages && !options.Reseed)
        {
            Console.WriteLine($"reusing {count:N0} messages in {options.Database}");
            return connectionString;
        }
        Console.WriteLine($"seeding {options.Messages:N0} messages over {options.Threads:N0} threads into {options.Database} …");
        var clock = Stopwatch.StartNew();
        await ExecuteAsync(connection, "TRUNCATE chat_messages, chat_threads");
        await ExecuteAsync(connection, SeedSql(options));
        Console.WriteLine($"seeded in {clock.Elapsed.TotalSeconds:F0} s; vacuum …");
        // A settled table, as autovacuum leaves it: GIN pending list merged, visibility map set, statistics fresh.
        await ExecuteAsync(connection, "VACUUM ANALYZE chat_messages");
        await ExecuteAsync(connection, "VACUUM ANALYZE chat_threads");
        Console.WriteLine($"ready after {clock.Elapsed.TotalSeconds:F0} s");
        return connectionString;
    }

    private static string SeedSql(BenchOptions options)
    {
        using var stream = typeof(BenchDatabase).Assembly.GetManifestResourceStream("seed.sql")!;
        using var reader = new StreamReader(stream);
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        return reader.ReadToEnd()
            .Replace("@threads", N(options.Threads), StringComparison.Ordinal)
            .Replace("@messages", N(options.Messages), StringComparison.Ordinal)
            .Replace("@clients", N(Clients), StringComparison.Ordinal)
            .Replace("@freelancers", N(Freelancers), StringComparison.Ordinal)
            .Replace("@heavy", N(HeavyUser), StringComparison.Ordinal);
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
