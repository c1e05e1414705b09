namespace OrleansChat.LoadTest.Server;

/// <summary>Finds the stack's processes from chatctl's pid files (run/silo-*.pid, run/front-*.pid, redis.pid, pg/postmaster.pid).</summary>
public static class ServerProcesses
{
    public static List<WatchedProcess> Discover(string? runDir, string? pgDataDir)
    {
        var found = new List<WatchedProcess>();
        if (runDir is not null && Directory.Exists(runDir))
        {
            foreach (var file in Directory.GetFiles(runDir, "*.pid").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (ReadPid(file) is { } pid && ProcReader.IsAlive(pid))
                {
                    found.Add(new WatchedProcess(name, pid) { IsServer = name.StartsWith("silo-", StringComparison.Ordinal) || name.StartsWith("front-", StringComparison.Ordinal) });
                }
            }
        }
        if (pgDataDir is not null && ReadPid(Path.Combine(pgDataDir, "postmaster.pid")) is { } pg && ProcReader.IsAlive(pg))
        {
            found.Add(new WatchedProcess("postgres", pg, withChildren: true));
        }
        found.Add(new WatchedProcess("loadgen", Environment.ProcessId));
        return found;
    }

    private static int? ReadPid(string file)
    {
        try
        {
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first?.Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
