using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// The files a .NET process keeps in its temp directory while it runs: the debugger's two pipes and the diagnostic
/// port's socket, named for its pid and start time (clock ticks since boot, as <see cref="ProcessIdentity"/> has it).
/// The runtime removes them when the process exits by itself; a process killed with SIGKILL (a stop past its grace,
/// `replica kill`, a scenario's kill step, teardown after Ctrl+C) leaves them behind, three per kill, so the process
/// runtime removes them once the service is gone. Nothing else is touched: each name carries the dead process's pid
/// and start time, which no other process shares.
/// </summary>
public static class DotnetRuntimeFiles
{
    public static IReadOnlyList<string> PathsOf(ProcessIdentity process, string tempDirectory)
    {
        var key = $"{process.Pid}-{process.StartTicks}";
        return
        [
            Path.Combine(tempDirectory, $"clr-debug-pipe-{key}-in"),
            Path.Combine(tempDirectory, $"clr-debug-pipe-{key}-out"),
            Path.Combine(tempDirectory, $"dotnet-diagnostic-{key}-socket"),
        ];
    }

    /// <summary>Removes what <paramref name="process"/>, now exited, left in <paramref name="tempDirectory"/>; absent files are fine.</summary>
    public static void RemoveLeftovers(ProcessIdentity process, string tempDirectory)
    {
        foreach (var path in PathsOf(process, tempDirectory))
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to remove after all (another user's directory); leave it.
            }
        }
    }

    /// <summary>The temp directory a running process's runtime uses, from /proc/PID/environ: its TMPDIR, else /tmp.</summary>
    public static string TempDirectoryOf(int pid)
    {
        try
        {
            var variable = File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("TMPDIR=", StringComparison.Ordinal));
            return Or(variable?["TMPDIR=".Length..]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Or(null); // gone already, or not ours to read
        }
    }

    /// <summary>The temp directory the runtime of a process started with <paramref name="info"/> uses: its TMPDIR, else /tmp.</summary>
    public static string TempDirectoryOf(System.Diagnostics.ProcessStartInfo info) => Or(info.Environment.TryGetValue("TMPDIR", out var dir) ? dir : null);

    /// <summary>As the runtime chooses: TMPDIR when set and not empty, else /tmp.</summary>
    private static string Or(string? tmpdir) => string.IsNullOrEmpty(tmpdir) ? "/tmp" : tmpdir;
}
