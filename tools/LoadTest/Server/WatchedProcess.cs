namespace OrleansChat.LoadTest.Server;

/// <summary>A process (or a process group such as PostgreSQL with its backends) whose CPU and memory the run reports.</summary>
public sealed class WatchedProcess(string name, int pid, bool withChildren = false)
{
    public string Name { get; } = name;

    public int Pid { get; } = pid;

    /// <summary>Server processes (silos, fronts, bare hubs) count towards "server memory"; the database and the load generator do not.</summary>
    public bool IsServer { get; init; }

    public long CpuTicks()
    {
        // With children (PostgreSQL): the live backends plus what exited backends used (cutime/cstime of the parent),
        // so the sum never goes down when a backend exits.
        var total = ProcReader.CpuTicks(Pid, withChildren) ?? 0;
        if (withChildren)
        {
            total += ProcReader.Children(Pid).Sum(c => ProcReader.CpuTicks(c) ?? 0);
        }
        return total;
    }

    /// <summary>Resident memory; for a process group the sum over its members (PostgreSQL's shared buffers count once per backend: an upper bound).</summary>
    public double RssMb()
    {
        var total = ProcReader.RssMb(Pid) ?? 0;
        if (withChildren)
        {
            total += ProcReader.Children(Pid).Sum(c => ProcReader.RssMb(c) ?? 0);
        }
        return total;
    }
}
