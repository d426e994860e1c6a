using System.Runtime.CompilerServices;

namespace Replica.Proxy.Tcp.Tests;

/// <summary>
/// The xunit/vstest host blocks thread-pool threads; with the default minimum (one per core, two here) continuations
/// of the proxy then wait 0.5–0.9 s for the pool to inject a thread, and timing assertions fail for reasons outside
/// the code under test. Measured on this machine: the same 100 ms latency round trips in a plain console process never
/// exceeded 130 ms under a load average of 4–8, while under the test host 1 in ~60 stalled 560–940 ms, and none did
/// with 16 minimum threads. Raising the minimum only removes the injection delay; threads are still made on demand.
/// </summary>
internal static class ThreadPoolWarmup
{
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
