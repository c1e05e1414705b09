using System.Diagnostics;

namespace OrleansChat.WebFront.Tests.Processes;

/// <summary>
/// A built OrleansChat entry point (dll beside the tests) run as a process of its own, ready once its
/// <c>/health/ready</c> answers; what <see cref="SiloProcess"/> and <see cref="FrontProcess"/> share.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public static async Task<ChildProcess> StartAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, Uri ready, string what)
    {
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the " + what);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process);
        await child.WaitUntilReadyAsync(ready, what, TimeSpan.FromSeconds(90));
        return child;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to anyone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(Uri ready, string what, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Holds(async () =>
        {
            Assert.False(_process.HasExited, $"the {what} process exited during start-up");
            try
            {
                return (await http.GetAsync(ready)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, timeout, $"the {what} process to become ready", TimeSpan.FromMilliseconds(200));
    }
}
