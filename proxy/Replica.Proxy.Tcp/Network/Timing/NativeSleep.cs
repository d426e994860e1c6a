using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Replica.Proxy.Tcp.Network.Timing;

/// <summary>
/// Sleeps for less than a millisecond. Thread.Sleep and monitor timeouts count whole milliseconds; nanosleep wakes
/// within about 0.1 ms on Linux, and within a few microseconds once the thread's timer slack is cut from the default
/// 50 µs (<see cref="TuneCurrentThread"/>). Called only from the <see cref="WaitScheduler"/> thread, which owns the
/// request buffer.
/// </summary>
internal static class NativeSleep
{
    private const int PrSetTimerSlack = 29;
    private const int PrioProcess = 0;
    private const int SysGettid = 186; // x86-64
    private static readonly bool HasNanosleep = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    // struct timespec { time_t tv_sec; long tv_nsec; } is two 64-bit integers on the 64-bit platforms .NET 10 supports here.
    [ThreadStatic]
    private static long[]? request;

    public static void For(long stopwatchTicks)
    {
        if (!HasNanosleep || !Environment.Is64BitProcess)
        {
            Thread.Yield();
            return;
        }
        var nanoseconds = (long)(stopwatchTicks * (1_000_000_000.0 / Stopwatch.Frequency));
        request ??= new long[2];
        request[0] = nanoseconds / 1_000_000_000;
        request[1] = nanoseconds % 1_000_000_000;
        _ = nanosleep(request, IntPtr.Zero);
    }

    /// <summary>
    /// Best effort, for the scheduler's own thread on Linux: a 1 ns timer slack (nanosleep wakes when asked, not up to
    /// 50 µs later) and a higher priority than the process's other threads (nice −5; allowed for root or with
    /// CAP_SYS_NICE, silently left as it is otherwise), so that on a busy machine the thread that releases delayed
    /// data is the first to run when its time comes.
    /// </summary>
    public static void TuneCurrentThread()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }
        try
        {
            _ = prctl(PrSetTimerSlack, 1, 0, 0, 0);
            var tid = (int)syscall(SysGettid);
            _ = setpriority(PrioProcess, tid, -5);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc-compatible: default slack and priority.
        }
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int nanosleep(long[] request, IntPtr remaining);

    [DllImport("libc", EntryPoint = "prctl")]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long syscall(long number);

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int setpriority(int which, int who, int priority);
}
