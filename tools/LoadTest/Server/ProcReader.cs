namespace OrleansChat.LoadTest.Server;

/// <summary>CPU time and resident memory of processes, read from /proc (Linux only; elsewhere everything is zero).</summary>
public static class ProcReader
{
    /// <summary>Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream architecture.</summary>
    public const double TicksPerSecond = 100.0;

    /// <summary>
    /// utime + stime in clock ticks (plus cutime + cstime, the reaped children's, with <paramref name="withReapedChildren"/>),
    /// or null when the process is gone.
    /// </summary>
    public static long? CpuTicks(int pid, bool withReapedChildren = false)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces; fields after it start past the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var own = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return withReapedChildren ? own + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture) : own;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>VmRSS in MiB, or null when the process is gone.</summary>
    public static double? RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
            return 0;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The direct children of <paramref name="parent"/> (PostgreSQL's backends).</summary>
    public static List<int> Children(int parent)
    {
        var children = new List<int>();
        foreach (var dir in SafeDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return children;
    }

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat");

    public static double[] LoadAverage()
    {
        try
        {
            return [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    public static double MemTotalGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
