using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansChat.WebFront.Tests.Attachments;

/// <summary>
/// A local S3-compatible server for the S3 store's tests: s3rver from npm (tests/S3rver, installed with npm ci on
/// first use), on a free loopback port, over a temporary folder, with one bucket; killed and removed on dispose.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    public const string Bucket = "chat-attachments";

    /// <summary>s3rver's fixed credentials.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly Process _process;
    private readonly string _directory;

    private S3rverProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public static async Task<S3rverProcess> StartAsync()
    {
        var home = Path.Combine(RepositoryRoot(), "tests", "S3rver");
        await EnsureInstalledAsync(home);
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("s3rver-").FullName;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "node_modules/s3rver/bin/s3rver.js", "-d", directory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets", "--configure-bucket", Bucket })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rverProcess(process, directory, port);
        await server.WaitUntilListeningAsync(port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(_process.HasExited, "s3rver exited at start");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // polling a port that is not open yet
            }
        }
    }

    /// <summary>npm ci once per machine (./chatctl test does it first; this covers a bare dotnet test).</summary>
    private static async Task EnsureInstalledAsync(string home)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(home, "node_modules", "s3rver", "bin", "s3rver.js")))
            {
                return;
            }
            var install = new ProcessStartInfo("npm") { WorkingDirectory = home, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                install.ArgumentList.Add(argument);
            }
            using var npm = Process.Start(install) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync();
            Assert.True(npm.ExitCode == 0, $"npm ci in {home} failed: {await output}{await errors}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansChat.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("OrleansChat.sln not found above " + AppContext.BaseDirectory);
    }
}
