using System.Diagnostics;
using Npgsql;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// A private PostgreSQL server in a temp folder, for tests that stop and start the database: the project's shared
/// server must never be stopped (other test classes and projects run against it in parallel). initdb runs as the
/// postgres OS user when we are root, as scripts/lib/infra.sh does; the unix socket lives in the temp folder.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;

    private ThrowawayPostgres(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(_root, "data");

    private static bool IsRoot => Environment.UserName == "root";

    private static string Superuser => IsRoot ? "postgres" : Environment.UserName;

    /// <summary>A connection string to <paramref name="database"/> on this server (trust auth, loopback only).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, MaxPoolSize = 60, Timeout = 5 }.ConnectionString;

    /// <param name="fsync">fsync on (PostgreSQL's default) for crash tests, where durability is the point; off makes other tests faster.</param>
    public static async Task<ThrowawayPostgres> StartAsync(bool fsync = false)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0)).LastOrDefault()
            : null;
        Assert.True(bin is not null, "no PostgreSQL server under /usr/lib/postgresql/*/bin (run ./chatctl infra)");
        // Short path: the unix socket path is limited to 107 bytes. /tmp is reachable by the postgres user.
        var root = Path.Combine("/tmp", "chatpg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var pg = new ThrowawayPostgres(bin, root, FreePorts.Next());
        if (IsRoot)
        {
            await Run("chown", "postgres:postgres", root);
        }
        await pg.AsPg(Path.Combine(bin, "initdb"), "-D", pg.DataDir, "-U", Superuser, "-E", "UTF8", "--no-locale", "--auth-local=trust", "--auth-host=trust");
        var conf = $"""

            listen_addresses = '127.0.0.1'
            port = {pg.Port}
            unix_socket_directories = '{root}'
            max_connections = 200
            shared_buffers = 32MB
            fsync = {(fsync ? "on" : "off")}
            synchronous_commit = on
            """;
        // Written as the owner of the data folder (postgres when root).
        await pg.AsPg("sh", "-c", $"cat >> '{pg.DataDir}/postgresql.conf' <<'EOF'\n{conf}\nEOF\n");
        await pg.StartServerAsync();
        return pg;
    }

    /// <summary>Creates a database with the project's migrations applied; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var cs = ConnectionString(name);
        await OrleansChat.Grains.Storage.DatabaseMigrator.MigrateAsync(cs);
        return cs;
    }

    /// <summary>pg_ctl stop -m fast: what an operator's restart does; clients see their connections terminated.</summary>
    public Task StopServerAsync() => AsPg(Path.Combine(_bin, "pg_ctl"), "-D", DataDir, "stop", "-m", "fast", "-w", "-t", "60");

    /// <summary>
    /// pg_ctl stop -m immediate: every server process quits at once, without a checkpoint or flushing anything, as
    /// in a crash or power loss; the next start runs crash recovery from the WAL.
    /// </summary>
    public Task CrashServerAsync() => AsPg(Path.Combine(_bin, "pg_ctl"), "-D", DataDir, "stop", "-m", "immediate", "-w", "-t", "60");

    /// <summary>A server setting as the running server reports it (e.g. "fsync").</summary>
    public async Task<string> SettingAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand($"SHOW {name}", connection);
        return (string)(await show.ExecuteScalarAsync())!;
    }

    public Task StartServerAsync() => AsPg(Path.Combine(_bin, "pg_ctl"), "-D", DataDir, "-l", Path.Combine(_root, "postgres.log"), "-w", "-t", "60", "start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPg(Path.Combine(_bin, "pg_ctl"), "-D", DataDir, "stop", "-m", "immediate", "-w", "-t", "30");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private Task AsPg(string program, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", program, .. args]) : Run(program, args);

    private static async Task Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + program);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await output} {await error}");
        }
    }
}
