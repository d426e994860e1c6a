using System.Diagnostics;
using Replica.Environments.Processes;

namespace Replica.Bench.EdgeProxy;

/// <summary>CPU time (user + system) of a process and its children, as .NET reads it from /proc: a measure that other load on the machine does not skew.</summary>
internal static class ProcessCpu
{
    public static TimeSpan OfTree(int pid) =>
        ProcessIdentity.ParentsByPid().Where(p => p.Key == pid || p.Value == pid).Aggregate(TimeSpan.Zero, (total, p) => total + CpuOf(p.Key));

    private static TimeSpan CpuOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The process ended while we looked.
            return TimeSpan.Zero;
        }
    }
}
