using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Replica.Proxy.Network.Timing;

/// <summary>
/// Sleeps for less than a millisecond. Thread.Sleep and monitor timeouts count whole milliseconds; nanosleep wakes
/// within about 0.1 ms on Linux. Called only from the <see cref="WaitScheduler"/> thread, which owns the request buffer.
/// </summary>
internal static class NativeSleep
{
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

    [DllImport("libc", EntryPoint = "nanosleep")]
    private static extern int nanosleep(long[] request, IntPtr remaining);
}
