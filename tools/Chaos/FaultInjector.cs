namespace OrleansChat.Chaos;

/// <summary>One injected fault and its timeline (UTC).</summary>
public sealed class FaultRecord
{
    public required string Kind { get; init; }

    public DateTime InjectedAt { get; set; }

    /// <summary>When the injection command returned (e.g. PostgreSQL fully stopped).</summary>
    public DateTime InjectDoneAt { get; set; }

    public DateTime HealStartedAt { get; set; }

    /// <summary>When the heal command returned (the server or process is back).</summary>
    public DateTime HealedAt { get; set; }

    /// <summary>What the injector printed (which pid was killed, ...).</summary>
    public string Detail { get; set; } = "";

    public string? InjectError { get; set; }

    public string? HealError { get; set; }

    /// <summary>
    /// From when recovery is measured. Faults the rest of the cluster must cope with (a process killed, a silo cut
    /// off or frozen, the PostgreSQL primary lost, restarts): the injection; the restart is housekeeping.
    /// A dependency wholly away (PostgreSQL/Redis restarted, a silo cut from PostgreSQL): the moment it is back.
    /// </summary>
    public DateTime ClearedAt => ChaosOptions.ToleratedFaults.Contains(Kind) ? InjectedAt : HealedAt;
}

/// <summary>Runs the fault command (chatctl chaos-fault inject|heal KIND), which knows the pid files and pg_ctl.</summary>
public sealed class FaultInjector(ChaosOptions options, TextWriter progress)
{
    public async Task InjectAsync(FaultRecord fault, CancellationToken ct)
    {
        fault.InjectedAt = DateTime.UtcNow;
        (fault.Detail, fault.InjectError) = await RunAsync("inject", fault.Kind, ct);
        fault.InjectDoneAt = DateTime.UtcNow;
        progress.WriteLine($"[{fault.InjectedAt:HH:mm:ss}] injected {fault.Kind}: {fault.Detail}{(fault.InjectError is null ? "" : " ERROR " + fault.InjectError)}");
    }

    public async Task HealAsync(FaultRecord fault, CancellationToken ct)
    {
        fault.HealStartedAt = DateTime.UtcNow;
        string detail;
        (detail, fault.HealError) = await RunAsync("heal", fault.Kind, ct);
        fault.HealedAt = DateTime.UtcNow;
        progress.WriteLine($"[{fault.HealedAt:HH:mm:ss}] healed {fault.Kind} in {(fault.HealedAt - fault.HealStartedAt).TotalSeconds:F1}s: {detail}{(fault.HealError is null ? "" : " ERROR " + fault.HealError)}");
    }

    private async Task<(string Output, string? Error)> RunAsync(string action, string kind, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.FaultCommand)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in options.FaultCommandPrefix)
        {
            start.ArgumentList.Add(a);
        }
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(kind);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not run " + options.FaultCommand);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = (await stdout).Trim().Replace('\n', ' ');
        var errors = (await stderr).Trim();
        return (output, process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {Tail(errors)}");
    }

    private static string Tail(string text) => text.Length <= 400 ? text : text[^400..];
}
