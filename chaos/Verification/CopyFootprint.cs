using System.Globalization;
using Replica.Environments.Processes;
using Replica.Environments.Proxied;

namespace Replica.Chaos.Verification;

/// <summary>
/// What one environment copy costs in memory, read from /proc: the resident memory of each service's process and
/// every process below it (PostgreSQL's workers, a launcher's child), plus what starting the copy added to this process
/// (its TCP proxies and edge proxy run here). Containers' memory is the engine's: a copy on the docker runtime has
/// no service process here, and only this process's share is counted, so the caller treats it as unmeasured.
/// </summary>
public static class CopyFootprint
{
    /// <summary>This process's resident memory now, in bytes (after a full collection, so garbage does not count).</summary>
    public static long OwnResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>
    /// The copy's resident memory in bytes; null when it runs no service as a local process (docker runtime).
    /// <paramref name="ownBefore"/> is <see cref="OwnResidentBytes"/> taken before the copy was started.
    /// </summary>
    public static long? ResidentBytes(ReplicaEnvironment copy, long ownBefore)
    {
        var roots = copy.Environment.Services.Select(s => s.Instance?.ProcessId).OfType<int>().ToHashSet();
        if (roots.Count == 0)
        {
            return null;
        }
        var parents = ProcessIdentity.ParentsByPid();
        var total = 0L;
        foreach (var pid in parents.Keys)
        {
            if (HasAncestorIn(pid, roots, parents))
            {
                total += ResidentOf(pid);
            }
        }
        return total + Math.Max(0, OwnResidentBytes() - ownBefore);
    }

    /// <summary>MemAvailable from /proc/meminfo, in bytes; null when it cannot be read.</summary>
    public static long? AvailableBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            return line is null ? null : Kilobytes(line) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool HasAncestorIn(int pid, HashSet<int> roots, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (roots.Contains(pid))
            {
                return true;
            }
            if (!parents.TryGetValue(pid, out pid))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Resident memory (VmRSS) in bytes, as .NET reads it from /proc; 0 once the process is gone.</summary>
    private static long ResidentOf(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.WorkingSet64;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
