using System.Runtime.CompilerServices;

// The latency-accuracy benchmark measures the wait scheduler alone, to show the machine's own wake-up floor.
[assembly: InternalsVisibleTo("Replica.Bench")]

// The kernel's receive stamps are checked on real sockets beneath the proxy (KernelArrivalTimeTests).
[assembly: InternalsVisibleTo("Replica.Proxy.Tcp.Tests")]
