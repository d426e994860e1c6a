using System.Runtime.InteropServices;
using Replica.Environments.Processes;

namespace Replica.Environments.Runtimes.Process;

/// <summary>
/// The shared memory a PostgreSQL server leaves outside its data directory when it is killed. A postmaster holds a
/// small System V segment (its interlock; postmaster.pid's seventh line names its key and id) and removes it when it
/// shuts down; killed with SIGKILL (a stop past its grace, `replica kill`, a scenario's kill step, an orphan reaped) it
/// leaves the segment until the machine reboots, one per kill (`ipcs -m`). This removes it once the postmaster is gone.
/// Its dynamic shared memory the process runtime keeps in the data directory (<see cref="DynamicSharedMemorySetting"/>),
/// where it goes with the directory instead of piling up in /dev/shm.
/// </summary>
public static partial class PostgresSharedMemory
{
    /// <summary>The server setting that puts dynamic shared memory segments in the data directory's pg_dynshmem.</summary>
    public const string DynamicSharedMemorySetting = "dynamic_shared_memory_type=mmap";

    private const int IpcRmid = 0;

    [LibraryImport("libc", EntryPoint = "shmctl", SetLastError = true)]
    private static partial int ShmCtl(int id, int command, IntPtr buffer);

    /// <summary>
    /// The System V segment (key, id) that <paramref name="dataDirectory"/>'s postmaster.pid names; null when there is
    /// no such file (a server that shut down removes it) or it names none.
    /// </summary>
    public static (int Key, int Id, int Pid)? RecordedSegment(string dataDirectory)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(dataDirectory, "postmaster.pid"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (lines.Length < 7 || !int.TryParse(lines[0].Trim(), out var pid))
        {
            return null;
        }
        var parts = lines[6].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // PostgreSQL writes the key unsigned and the kernel's table shows it signed (a key_t is 32 bits): compare the bits.
        return parts.Length == 2 && ulong.TryParse(parts[0], out var key) && int.TryParse(parts[1], out var id) ? (unchecked((int)key), id, pid) : null;
    }

    /// <summary>Whether a System V segment with this id exists and still carries this key (from /proc/sysvipc/shm).</summary>
    public static bool SegmentExists(int key, int id)
    {
        try
        {
            return File.ReadLines("/proc/sysvipc/shm").Skip(1)
                .Select(line => line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries))
                .Any(f => f.Length >= 2 && int.TryParse(f[0], out var k) && int.TryParse(f[1], out var i) && k == key && i == id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the segment of the server that ran in <paramref name="dataDirectory"/>, once that server is gone: only
    /// when postmaster.pid is still there (a server that shut down removed both), its postmaster no longer runs (a
    /// restarted one has written its own), and the id still carries the recorded key (ids are reused). A segment that
    /// processes still map goes when the last of them exits.
    /// </summary>
    public static void RemoveLeftovers(string dataDirectory)
    {
        if (RecordedSegment(dataDirectory) is not { } segment || ProcessIdentity.Of(segment.Pid) is { IsAlive: true })
        {
            return;
        }
        if (SegmentExists(segment.Key, segment.Id))
        {
            ShmCtl(segment.Id, IpcRmid, IntPtr.Zero);
        }
    }
}
